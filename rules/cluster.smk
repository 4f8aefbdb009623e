rule cluster:
    input:
        titles=rules.titles.output.titles,
        cluster_space=rules.reduce.output.cluster_space,
    output:
        labels="results/cluster/labels.parquet",
    params:
        cluster=config["cluster"],
    log:
        "logs/cluster.log",
    benchmark:
        "results/benchmarks/cluster.tsv"
    conda:
        "../envs/cluster.yaml"
    script:
        "../scripts/cluster.py"
