"""Snakemake glue (occupations, "who is missing"): each unique title's nearest O*NET occupation and SOC major group."""

import numpy as np
import pandas as pd

from jobtopics.occupations import load_occupations, nearest_occupations
from jobtopics.step import log, run_step


def main():
    titles = pd.read_parquet(snakemake.input.titles)
    occupations = load_occupations()
    best, similarity = nearest_occupations(np.load(snakemake.input.embeddings), np.load(snakemake.input.onet_vectors))
    matched = occupations.iloc[best].reset_index(drop=True)
    pd.DataFrame({
        "title_key": titles["title_key"],
        "onet_code": matched["code"],
        "onet_title": matched["title"],
        "soc_major": matched["major"],
        "similarity": similarity,
    }).to_parquet(snakemake.output.occupations, index=False)
    log.info("occupations: %d titles placed among %d O*NET occupations", len(titles), len(occupations))


run_step(snakemake.log[0], main)
