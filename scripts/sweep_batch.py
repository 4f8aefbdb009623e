"""Snakemake glue: a batch of the sweep's UMAP spaces, each with all of its HDBSCAN cells."""

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.neighbors import load_neighbors
from jobtopics.step import log, run_step, use_threads
from jobtopics.sweep.space import evaluate_cells, reduce_space


def main():
    use_threads(snakemake.threads)
    embeddings = np.load(snakemake.input.embeddings)
    neighbors = load_neighbors(snakemake.input.neighbors)
    clusters = pd.DataFrame(snakemake.params.clusters)
    labels_paths, metrics_paths = iter(snakemake.output.labels), iter(snakemake.output.metrics)
    for space, points_path in zip(snakemake.params.spaces, snakemake.output.points):
        started = time.perf_counter()
        points = reduce_space(embeddings, neighbors, space, snakemake.params.metric, snakemake.params.n_epochs)
        reduce_runtime = time.perf_counter() - started
        np.save(points_path, points)
        for labels, metrics in evaluate_cells(points, clusters, snakemake.params.selection_method):
            pd.DataFrame({"topic": labels}).to_parquet(next(labels_paths), index=False)
            metrics["reduce_runtime_s"] = reduce_runtime
            Path(next(metrics_paths)).write_text(json.dumps(metrics, indent=1), encoding="utf-8")
        log.info("sweep space %s: UMAP %.1f s, %d HDBSCAN cells", space, reduce_runtime, len(clusters))


run_step(snakemake.log[0], main)
