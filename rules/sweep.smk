rule sweep_neighbors:
    input:
        embeddings=f"{FIT}/embeddings.npy",
    output:
        neighbors=f"{FIT}/sweep/neighbors.npz",
    log:
        f"{FIT_LOGS}/sweep_neighbors.log",
    benchmark:
        f"{FIT}/benchmarks/sweep_neighbors.tsv"
    conda:
        "../envs/sweep.yaml"
    params:
        k=max(SWEEP_GRID["n_neighbors"]),
        metric=config["reduce"]["metric"],
        code_version=script_code_version("sweep_neighbors"),
    script:
        "../scripts/sweep_neighbors.py"


for batch, spaces in sweep_batches().items():

    rule:
        name:
            f"sweep_batch_{batch}"
        input:
            embeddings=f"{FIT}/embeddings.npy",
            neighbors=rules.sweep_neighbors.output.neighbors,
        output:
            points=[f"{FIT}/sweep/{space}/umap.npy" for space in spaces],
            labels=sweep_batch_files(spaces, "labels.parquet"),
            metrics=sweep_batch_files(spaces, "metrics.json"),
        log:
            f"{FIT_LOGS}/sweep_batch_{batch}.log",
        benchmark:
            f"{FIT}/benchmarks/sweep_batch_{batch}.tsv"
        conda:
            "../envs/sweep.yaml"
        # One thread per batch: sweep.jobs batches run side by side (2 on 2 cores).
        threads: 1
        params:
            spaces=sweep_space_settings(spaces),
            clusters=sweep_cluster_settings(),
            metric=config["reduce"]["metric"],
            n_epochs=config["reduce"]["n_epochs"],
            selection_method=config["cluster"]["selection_method"],
            code_version=script_code_version("sweep_batch"),
        script:
            "../scripts/sweep_batch.py"


rule sweep_summary:
    input:
        titles=f"{FIT}/titles.parquet",
        descriptions=f"{FIT}/descriptions.parquet",
        embeddings=f"{FIT}/embeddings.npy",
        level_free=f"{FIT}/level_free.npy",
        labels=sweep_all_cells("labels.parquet"),
        metrics=sweep_all_cells("metrics.json"),
    output:
        cells=f"{FIT}/sweep/cells.parquet",
        cells_csv=f"{FIT}/sweep/cells.csv",
        settings_table=f"{FIT}/sweep/settings.parquet",
        settings=report(
            f"{FIT}/sweep/settings.csv",
            caption="../report/captions/sweep.rst",
            category="Sensitivity",
        ),
        stability=f"{FIT}/sweep/stability.parquet",
        recommended=f"{FIT}/sweep/recommended.json",
    log:
        f"{FIT_LOGS}/sweep_summary.log",
    benchmark:
        f"{FIT}/benchmarks/sweep_summary.tsv"
    conda:
        "../envs/sweep.yaml"
    params:
        cells=SWEEP_CELLS.dataframe.to_dict("records"),
        selection=config["sweep"]["selection"],
        grouping=category_grouping(),
        text=config["embed"]["text"],
        top_n=config["topics"]["top_n_terms"],
        code_version=script_code_version("sweep_summary"),
    script:
        "../scripts/sweep_summary.py"
