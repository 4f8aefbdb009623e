"""Snakemake glue: UMAP to the 2-D map, with the clustering space's neighbours and seed."""

import numpy as np

from jobtopics.reduce import reduce_embeddings
from jobtopics.step import log, run_step, use_threads
from jobtopics.sweep.recommended import effective_settings


def main():
    use_threads(snakemake.threads)
    settings = effective_settings(snakemake.params.reduce, "reduce", snakemake.input.get("recommended"))
    log.info("map layout: %s", {key: settings[key] for key in ("n_neighbors", "map_min_dist", "seed")})
    map_space = reduce_embeddings(np.load(snakemake.input.embeddings), n_components=2,
                                  n_neighbors=settings["n_neighbors"], min_dist=settings["map_min_dist"],
                                  metric=settings["metric"], seed=settings["seed"], n_epochs=settings["n_epochs"])
    np.save(snakemake.output.map_space, map_space)


run_step(snakemake.log[0], main)
