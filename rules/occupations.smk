rule occupations:
    input:
        titles=rules.titles.output.titles,
        embeddings=rules.embed.output.embeddings,
    output:
        occupations="results/occupations/title_occupations.parquet",
    log:
        "logs/occupations.log",
    benchmark:
        "results/benchmarks/occupations.tsv"
    conda:
        "../envs/occupations.yaml"
    resources:
        gpu=gpu_count("embed"),
    params:
        embed=config["embed"],
    script:
        "../scripts/occupations.py"
