"""Snakemake glue: c-TF-IDF terms and example titles per topic (BERTopic)."""

import numpy as np
import pandas as pd

from jobtopics.texts import embedding_texts
from jobtopics.step import run_step
from jobtopics.topics import build_topic_table


def main():
    settings = snakemake.params.topics
    titles = pd.read_parquet(snakemake.input.titles)
    documents = embedding_texts(titles, pd.read_parquet(snakemake.input.descriptions), snakemake.params.text)
    labels = pd.read_parquet(snakemake.input.labels)["topic"].to_numpy()
    table = build_topic_table(titles, documents, np.load(snakemake.input.embeddings), labels,
                              settings["top_n_terms"], settings["n_examples"])
    table.to_parquet(snakemake.output.topics, index=False)


run_step(snakemake.log[0], main)
