"""Snakemake glue: group topics into broad categories and name both levels."""

import contextlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.texts import embedding_texts
from jobtopics.label import build_categories
from jobtopics.llm.endpoint import describe_usage, open_endpoint
from jobtopics.step import llm_settings, run_step


def main():
    settings, llm = snakemake.params.label, llm_settings(snakemake)
    titles = pd.read_parquet(snakemake.input.titles)
    documents = embedding_texts(titles, pd.read_parquet(snakemake.input.descriptions), snakemake.params.text)
    labels = pd.read_parquet(snakemake.input.labels)["topic"].to_numpy()
    topics = pd.read_parquet(snakemake.input.topics)
    has_topics = bool((topics["topic"] >= 0).any())
    use_llm = settings["mode"] == "llm" and has_topics
    with open_endpoint(llm, snakemake.log[0]) if use_llm else contextlib.nullcontext() as endpoint:
        topic_categories, categories, stats = build_categories(
            titles, documents, np.load(snakemake.input.embeddings), labels, topics,
            n_categories=settings["n_categories"], max_share=settings["max_category_share"],
            top_n_terms=snakemake.params.topics["top_n_terms"],
            n_examples=snakemake.params.topics["n_examples"], endpoint=endpoint, max_requests=llm["max_requests"],
        )
        usage = {name: describe_usage(endpoint, llm, s) for name, s in stats.items()} if endpoint else {"mode": "terms"}
    topic_categories.to_parquet(snakemake.output.topic_categories, index=False)
    categories.to_parquet(snakemake.output.categories, index=False)
    Path(snakemake.output.usage).write_text(json.dumps(usage, indent=2))


run_step(snakemake.log[0], main)
