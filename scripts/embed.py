"""Snakemake glue: sentence embeddings of the enriched titles (cached per model and text)."""

from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.embed import embed_texts
from jobtopics.embed_cache import cached_embeddings
from jobtopics.texts import embedding_texts
from jobtopics.step import log, run_step, use_threads


def main():
    use_threads(snakemake.threads)
    settings = snakemake.params.embed
    batch_size, cache_dir = snakemake.config["embed"]["batch_size"], Path(snakemake.config["llm"]["cache_dir"])
    titles = pd.read_parquet(snakemake.input.titles)
    descriptions = pd.read_parquet(snakemake.input.descriptions)
    texts = embedding_texts(titles, descriptions, settings["text"])

    def embed(missing):
        return embed_texts(missing, settings["model"], settings["device"], batch_size, snakemake.threads)

    vectors, computed = cached_embeddings(texts, settings["model"], cache_dir / "embeddings.sqlite", embed)
    np.save(snakemake.output.embeddings, vectors)
    log.info("embed: %d texts (%d newly embedded, %d from the cache) -> %s", len(texts), computed,
             len(texts) - computed, vectors.shape)


run_step(snakemake.log[0], main)
