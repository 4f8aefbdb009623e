rule reduce:
    input:
        embeddings=rules.embed.output.embeddings,
    output:
        cluster_space="results/reduce/umap5.npy",
        map_space="results/reduce/umap2.npy",
    params:
        reduce=config["reduce"],
    log:
        "logs/reduce.log",
    benchmark:
        "results/benchmarks/reduce.tsv"
    conda:
        "../envs/reduce.yaml"
    script:
        "../scripts/reduce.py"
