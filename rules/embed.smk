rule embed:
    input:
        titles=rules.titles.output.titles,
        descriptions=rules.enrich.output.descriptions,
    output:
        embeddings="results/embed/embeddings.npy",
        level_free="results/embed/level_free.npy",
    log:
        "logs/embed.log",
    benchmark:
        "results/benchmarks/embed.tsv"
    conda:
        "../envs/embed.yaml"
    threads: 4
    resources:
        gpu=gpu_count("embed"),
    params:
        embed=embedding_settings(),
        code_version=script_code_version("embed"),
    script:
        "../scripts/embed.py"
