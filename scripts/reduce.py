"""Snakemake glue: UMAP to the clustering space and to the 2-D map."""

import numpy as np

from jobtopics.reduce import reduce_embeddings
from jobtopics.step import log, run_step, use_threads
from jobtopics.sweep.recommended import effective_settings, matching_space


def main():
    use_threads(snakemake.threads)
    settings = effective_settings(snakemake.params.reduce, "reduce", snakemake.input.get("recommended"))
    embeddings = np.load(snakemake.input.embeddings)
    common = {"n_neighbors": settings["n_neighbors"], "metric": settings["metric"], "seed": settings["seed"]}
    log.info("reduce: %s", {key: settings[key] for key in ("n_neighbors", "n_components", "min_dist", "seed")})
    # The recommended setting's clustering space is one the sweep fitted already (same seed, same exact kNN graph).
    space = matching_space(snakemake.params.sweep_spaces, settings)
    if space is not None:
        log.info("reduce: clustering space taken from the sweep (%s)", snakemake.input.sweep_spaces[space])
        cluster_space = np.load(snakemake.input.sweep_spaces[space])
    else:
        cluster_space = reduce_embeddings(embeddings, n_components=settings["n_components"],
                                          min_dist=settings["min_dist"], **common)
    np.save(snakemake.output.cluster_space, cluster_space)
    np.save(
        snakemake.output.map_space,
        reduce_embeddings(embeddings, n_components=2, min_dist=settings["map_min_dist"], **common),
    )


run_step(snakemake.log[0], main)
