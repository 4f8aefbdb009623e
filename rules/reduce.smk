rule reduce:
    input:
        embeddings=f"{FIT}/embeddings.npy",
        recommended=recommended_setting(),
        sweep_spaces=sweep_space_points(),
    output:
        cluster_space=f"{FIT}/reduce/umap5.npy",
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


# The 2-D map is its own step so that its UMAP (one thread) runs beside clustering, topics and naming.
rule map_layout:
    input:
        embeddings=f"{FIT}/embeddings.npy",
        recommended=recommended_setting(),
    output:
        map_space=f"{FIT}/reduce/umap2.npy",
    log:
        f"{FIT_LOGS}/map_layout.log",
    benchmark:
        f"{FIT}/benchmarks/map_layout.tsv"
    conda:
        "../envs/reduce.yaml"
    threads: 1
    params:
        reduce=config["reduce"],
        code_version=script_code_version("map_layout"),
    script:
        "../scripts/map_layout.py"
