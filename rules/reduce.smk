rule reduce:
    input:
        embeddings=rules.embed.output.embeddings,
        recommended=recommended_setting(),
    output:
        cluster_space="results/reduce/umap5.npy",
        map_space="results/reduce/umap2.npy",
    log:
        "logs/reduce.log",
    benchmark:
        "results/benchmarks/reduce.tsv"
    conda:
        "../envs/reduce.yaml"
    params:
        reduce=config["reduce"],
    script:
        "../scripts/reduce.py"
