rule cluster:
    input:
        titles=f"{FIT}/titles.parquet",
        cluster_space=rules.reduce.output.cluster_space,
        recommended=recommended_setting(),
    output:
        labels=f"{FIT}/cluster/labels.parquet",
    log:
        f"{FIT_LOGS}/cluster.log",
    benchmark:
        f"{FIT}/benchmarks/cluster.tsv"
    conda:
        "../envs/cluster.yaml"
    threads: 2
    params:
        cluster=config["cluster"],
        code_version=script_code_version("cluster"),
    script:
        "../scripts/cluster.py"
