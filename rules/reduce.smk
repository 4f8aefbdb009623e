rule reduce:
    input:
        embeddings=f"{FIT}/embeddings.npy",
        recommended=recommended_setting(),
        sweep_spaces=sweep_space_points(),
    output:
        cluster_space=f"{FIT}/reduce/umap5.npy",
        map_space=f"{FIT}/reduce/umap2.npy",
    log:
        f"{FIT_LOGS}/reduce.log",
    benchmark:
        f"{FIT}/benchmarks/reduce.tsv"
    conda:
        "../envs/reduce.yaml"
    threads: 2
    params:
        reduce=config["reduce"],
        sweep_spaces=sweep_space_records(),
        code_version=script_code_version("reduce"),
    script:
        "../scripts/reduce.py"
