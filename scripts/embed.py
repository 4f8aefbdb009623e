"""Snakemake glue: sentence embeddings of the enriched titles."""

import numpy as np
import pandas as pd

from jobtopics.embed import embed_texts
from jobtopics.texts import embedding_texts
from jobtopics.step import log, run_step


def main():
    settings = snakemake.params.embed
    titles = pd.read_parquet(snakemake.input.titles)
    descriptions = pd.read_parquet(snakemake.input.descriptions)
    texts = embedding_texts(titles, descriptions, settings["text"])
    vectors = embed_texts(texts, settings["model"], settings["device"], settings["batch_size"])
    np.save(snakemake.output.embeddings, vectors)
    log.info("embed: %d texts -> %s", len(texts), vectors.shape)


run_step(snakemake.log[0], main)
