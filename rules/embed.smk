rule embed:
    input:
        titles=rules.titles.output.titles,
        descriptions=rules.enrich.output.descriptions,
    output:
        embeddings="results/embed/embeddings.npy",
    params:
        embed=config["embed"],
    resources:
        gpu=gpu_count("embed"),
    log:
        "logs/embed.log",
    benchmark:
        "results/benchmarks/embed.tsv"
    conda:
        "../envs/embed.yaml"
    script:
        "../scripts/embed.py"
