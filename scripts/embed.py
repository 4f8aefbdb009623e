"""Snakemake glue: sentence embeddings of the enriched titles (cached per model and text)."""

from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.embed import embed_texts, models_side_by_side
from jobtopics.occupations import english_title_pool
from jobtopics.texts import embedding_texts
from jobtopics.step import log, run_step, use_threads


def main():
    use_threads(snakemake.threads)
    settings = snakemake.params.embed
    batch_size, cache_dir = snakemake.config["embed"]["batch_size"], Path(snakemake.config["llm"]["cache_dir"])
    titles = pd.read_parquet(snakemake.input.titles)
    descriptions = pd.read_parquet(snakemake.input.descriptions)
    texts = embedding_texts(titles, descriptions, settings["text"])
    with models_side_by_side():
        vectors = embed_texts(texts, settings["model"], settings["device"], batch_size, snakemake.threads,
                              local_language=settings["local_language"], pool=english_title_pool(),
                              cache_path=cache_dir / "embeddings.sqlite")
        # The same titles without rank words, to tell topics held together by rank (label step); the full texts
        # join the pool, so that a local title borrows from the same English titles as above.
        level_free = embed_texts(embedding_texts(titles, descriptions, settings["text"], rank=False),
                                 settings["model"], settings["device"], batch_size, snakemake.threads,
                                 local_language=settings["local_language"], pool=texts + english_title_pool(),
                                 cache_path=cache_dir / "embeddings.sqlite")
    np.save(snakemake.output.embeddings, vectors)
    np.save(snakemake.output.level_free, level_free)
    log.info("embed: %d texts -> %s (and without rank words)", len(texts), vectors.shape)


run_step(snakemake.log[0], main)
