"""Snakemake glue: every current title's map point and topic, on the fitted map (new titles placed)."""

import numpy as np
import pandas as pd

from jobtopics.place import place_titles, weak_placements
from jobtopics.step import log, run_step


def main():
    inputs = snakemake.input
    titles = pd.read_parquet(inputs.titles)
    fitted_titles = pd.read_parquet(inputs.fit_titles)
    fitted_labels = pd.read_parquet(inputs.fit_labels)
    if not fitted_labels["title_key"].equals(fitted_titles["title_key"]):
        raise ValueError("the fitted map's cluster labels are not in the order of its titles")
    placed = place_titles(titles["title_key"], np.load(inputs.embeddings), fitted_titles["title_key"],
                          np.load(inputs.fit_embeddings), np.load(inputs.fit_map_space),
                          fitted_labels["topic"].to_numpy(), snakemake.params.neighbors,
                          snakemake.params.weak_similarity)
    placed.to_parquet(snakemake.output.placed, index=False)
    new = placed[placed["placed"]]
    counts = weak_placements(placed, titles["n_people"])
    log.info("place: %d titles, %d placed onto the fitted map%s", len(placed), len(new),
             f" (mean similarity to their neighbors {new['neighbor_similarity'].mean():.2f}; {counts['weak_titles']} "
             f"below update.weak_placement_similarity {snakemake.params.weak_similarity:g})" if len(new) else "")


run_step(snakemake.log[0], main)
