"""Snakemake glue: the exact kNN graph every UMAP of the sweep shares."""

import numpy as np

from jobtopics.neighbors import nearest_neighbors, save_neighbors
from jobtopics.step import log, run_step


def main():
    embeddings = np.load(snakemake.input.embeddings)
    k = min(snakemake.params.k, max(1, embeddings.shape[0] - 1))
    indices, distances = nearest_neighbors(embeddings, k, snakemake.params.metric)
    save_neighbors(snakemake.output.neighbors, indices, distances)
    log.info("sweep: %d-nearest-neighbor graph of %d titles (%s)", k, embeddings.shape[0], snakemake.params.metric)


run_step(snakemake.log[0], main)
