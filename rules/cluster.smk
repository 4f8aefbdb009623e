rule cluster:
    input:
        titles=rules.titles.output.titles,
        cluster_space=rules.reduce.output.cluster_space,
        recommended=recommended_setting(),
    output:
        labels="results/cluster/labels.parquet",
    log:
        "logs/cluster.log",
    benchmark:
        "results/benchmarks/cluster.tsv"
    conda:
        "../envs/cluster.yaml"
    params:
        cluster=config["cluster"],
    script:
        "../scripts/cluster.py"
