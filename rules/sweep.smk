rule sweep_neighbors:
    input:
        embeddings=rules.embed.output.embeddings,
    output:
        neighbors="results/sweep/neighbors.npz",
    log:
        "logs/sweep_neighbors.log",
    benchmark:
        "results/benchmarks/sweep_neighbors.tsv"
    conda:
        "../envs/sweep.yaml"
    params:
        k=max(SWEEP_GRID["n_neighbors"]),
        metric=config["reduce"]["metric"],
    script:
        "../scripts/sweep_neighbors.py"


for batch, spaces in sweep_batches().items():

    rule:
        name:
            f"sweep_batch_{batch}"
        input:
            embeddings=rules.embed.output.embeddings,
            neighbors=rules.sweep_neighbors.output.neighbors,
        output:
            points=[f"results/sweep/{space}/umap.npy" for space in spaces],
            labels=sweep_batch_files(spaces, "labels.parquet"),
            metrics=sweep_batch_files(spaces, "metrics.json"),
        log:
            f"logs/sweep_batch_{batch}.log",
        benchmark:
            f"results/benchmarks/sweep_batch_{batch}.tsv"
        conda:
            "../envs/sweep.yaml"
        params:
            spaces=sweep_space_settings(spaces),
            clusters=sweep_cluster_settings(),
            metric=config["reduce"]["metric"],
            selection_method=config["cluster"]["selection_method"],
        script:
            "../scripts/sweep_batch.py"


rule sweep_summary:
    input:
        titles=rules.titles.output.titles,
        descriptions=rules.enrich.output.descriptions,
        labels=sweep_all_cells("labels.parquet"),
        metrics=sweep_all_cells("metrics.json"),
    output:
        cells="results/sweep/cells.parquet",
        cells_csv="results/sweep/cells.csv",
        settings_table="results/sweep/settings.parquet",
        settings=report(
            "results/sweep/settings.csv",
            caption="../report/captions/sweep.rst",
            category="Sensitivity",
        ),
        stability="results/sweep/stability.parquet",
        recommended="results/sweep/recommended.json",
    log:
        "logs/sweep_summary.log",
    benchmark:
        "results/benchmarks/sweep_summary.tsv"
    conda:
        "../envs/sweep.yaml"
    params:
        cells=SWEEP_CELLS.dataframe.to_dict("records"),
        selection=config["sweep"]["selection"],
        text=config["embed"]["text"],
        top_n=config["topics"]["top_n_terms"],
    script:
        "../scripts/sweep_summary.py"
