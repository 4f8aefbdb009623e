rule embed:
    input:
        titles=rules.titles.output.titles,
        descriptions=rules.enrich.output.descriptions,
    output:
        embeddings="results/embed/embeddings.npy",
    log:
        "logs/embed.log",
    benchmark:
        "results/benchmarks/embed.tsv"
    conda:
        "../envs/embed.yaml"
    resources:
        gpu=gpu_count("embed"),
    params:
        embed=config["embed"],
    script:
        "../scripts/embed.py"
