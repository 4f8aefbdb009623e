rule outliers:
    input:
        titles=f"{FIT}/titles.parquet",
        embeddings=f"{FIT}/embeddings.npy",
        labels=rules.cluster.output.labels,
        topic_categories=rules.label.output.topic_categories,
    output:
        labels=f"{FIT}/outliers/labels.parquet",
    log:
        f"{FIT_LOGS}/outliers.log",
    benchmark:
        f"{FIT}/benchmarks/outliers.tsv"
    conda:
        "../envs/outliers.yaml"
    params:
        min_similarity=config["outliers"]["min_similarity"],
    script:
        "../scripts/outliers.py"
