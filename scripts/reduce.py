"""Snakemake glue: UMAP to the clustering space (the sweep's own when it fitted this setting)."""

import numpy as np

from jobtopics.reduce import reduce_embeddings
from jobtopics.step import log, run_step, use_threads
from jobtopics.sweep.recommended import effective_settings, matching_space


def main():
    use_threads(snakemake.threads)
    settings = effective_settings(snakemake.params.reduce, "reduce", snakemake.input.get("recommended"))
    log.info("reduce: %s", {key: settings[key] for key in ("n_neighbors", "n_components", "min_dist", "seed")})
    # The recommended setting's clustering space is one the sweep fitted already (same seed, same exact kNN graph).
    space = matching_space(snakemake.params.sweep_spaces, settings)
    if space is not None:
        log.info("reduce: clustering space taken from the sweep (%s)", snakemake.input.sweep_spaces[space])
        cluster_space = np.load(snakemake.input.sweep_spaces[space])
    else:
        cluster_space = reduce_embeddings(np.load(snakemake.input.embeddings), n_components=settings["n_components"],
                                          n_neighbors=settings["n_neighbors"], min_dist=settings["min_dist"],
                                          metric=settings["metric"], seed=settings["seed"],
                                          n_epochs=settings["n_epochs"])
    np.save(snakemake.output.cluster_space, cluster_space)


run_step(snakemake.log[0], main)
