"""Snakemake glue (occupations, "who is missing"): each unique title's nearest O*NET occupation and SOC major group."""

from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.occupations import load_occupations, nearest_occupations, occupation_texts
from jobtopics.embed import embed_texts
from jobtopics.embed_cache import cached_embeddings
from jobtopics.step import log, run_step


def main():
    settings = snakemake.params.embed
    batch_size, cache_dir = snakemake.config["embed"]["batch_size"], Path(snakemake.config["llm"]["cache_dir"])
    titles = pd.read_parquet(snakemake.input.titles)
    occupations = load_occupations()
    # The O*NET texts never change: after the first run their vectors come from the embedding cache.
    occupation_vectors, _ = cached_embeddings(
        occupation_texts(occupations), settings["model"], cache_dir / "embeddings.sqlite",
        lambda texts: embed_texts(texts, settings["model"], settings["device"], batch_size))
    best, similarity = nearest_occupations(np.load(snakemake.input.embeddings), occupation_vectors)
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
