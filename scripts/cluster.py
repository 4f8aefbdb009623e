"""Snakemake glue: HDBSCAN topics on the reduced space."""

import numpy as np
import pandas as pd

from jobtopics.cluster import OUTLIER, cluster_points
from jobtopics.step import log, run_step, use_threads
from jobtopics.sweep.recommended import effective_settings


def main():
    use_threads(snakemake.threads)
    settings = effective_settings(snakemake.params.cluster, "cluster", snakemake.input.get("recommended"))
    log.info("cluster: min_cluster_size %s, min_samples %s", settings["min_cluster_size"], settings["min_samples"])
    titles = pd.read_parquet(snakemake.input.titles)
    points = np.load(snakemake.input.cluster_space)
    labels = cluster_points(points, min_cluster_size=settings["min_cluster_size"], min_samples=settings["min_samples"],
                            selection_method=settings["selection_method"], threads=snakemake.threads)
    pd.DataFrame({"title_key": titles["title_key"], "topic": labels}).to_parquet(snakemake.output.labels, index=False)
    log.info("cluster: %d topics, %d of %d titles uncategorized", len(set(labels) - {OUTLIER}),
             int((labels == OUTLIER).sum()), len(labels))


run_step(snakemake.log[0], main)
