"""Snakemake glue: group topics into broad categories and name both levels from evidence."""

import contextlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.occupations import english_title_pool, load_occupations
from jobtopics.embed import embed_texts, models_side_by_side
from jobtopics.label import build_categories
from jobtopics.llm.endpoint import describe_usage, open_endpoint, planned_settings, stop_for_dry_run
from jobtopics.names import OUTLIER
from jobtopics.naming import occupation_index
from jobtopics.step import llm_settings, log, run_step, use_threads
from jobtopics.texts import embedding_texts


def embedder(settings: dict, cache_path: Path, documents: list[str], threads: int):
    """Candidate names embedded as the titles were (same model, same English titles to borrow from), through the
    shared embedding cache."""
    pool = list(documents) + english_title_pool()

    def embed(texts):
        return embed_texts(list(texts), settings["model"], settings["device"], threads=threads,
                           local_language=settings["local_language"], pool=pool, cache_path=cache_path)
    return embed


def main():
    use_threads(snakemake.threads)
    settings, llm = snakemake.params.label, llm_settings(snakemake)
    titles = pd.read_parquet(snakemake.input.titles)
    documents = embedding_texts(titles, pd.read_parquet(snakemake.input.descriptions), snakemake.params.text)
    cluster_labels = pd.read_parquet(snakemake.input.labels)
    if not cluster_labels["title_key"].equals(titles["title_key"]):
        raise ValueError("the cluster labels are not in the order of the fitted map's titles")
    labels = cluster_labels["topic"].to_numpy()
    topics = pd.read_parquet(snakemake.input.topics)
    has_topics = bool((topics["topic"] >= 0).any())
    embed = embedder(snakemake.params.embed, Path(snakemake.config["llm"]["cache_dir"]) / "embeddings.sqlite",
                     documents, snakemake.threads)
    occupations = (occupation_index(load_occupations(), np.load(snakemake.input.onet_vectors))
                   if settings["mode"] != "terms" and has_topics else None)
    use_llm = settings["mode"] == "llm" and has_topics
    if use_llm:
        stop_for_dry_run(llm, f"the label step would ask {planned_settings(llm).model} to name "
                              f"{int((topics['topic'] >= 0).sum())} topics and the categories they make")
    # Names are embedded (evidence or llm mode): the side process loads the model while topics are grouped.
    preload = snakemake.params.embed["model"] if occupations is not None else None
    with (models_side_by_side(preload, snakemake.params.embed["device"]),
          open_endpoint(llm, snakemake.log[0]) if use_llm else contextlib.nullcontext() as endpoint):
        topic_categories, categories, audit, stats, refined = build_categories(
            titles, documents, np.load(snakemake.input.embeddings), labels, topics,
            n_categories=settings["n_categories"], max_share=settings["max_category_share"],
            top_n_terms=snakemake.params.topics["top_n_terms"], n_examples=snakemake.params.topics["n_examples"],
            mode=settings["mode"], embed=embed, occupations=occupations, endpoint=endpoint,
            max_requests=llm["max_requests"], refine_min_gain=settings["refine_min_gain"],
            level_free=np.load(snakemake.input.level_free), rank_cohesion_drop=settings["rank_cohesion_drop"],
            grey_group_min_titles=settings["grey_group_min_titles"],
            grey_group_max_distance=settings["grey_group_max_distance"],
        )
        usage = ({name: describe_usage(endpoint, llm, s) for name, s in stats.items()} if endpoint
                 else {"mode": settings["mode"]})
    # New topics (numbered after HDBSCAN's) are groups of grey titles that became categories of their own.
    grey_group = refined > labels.max()
    # A rank-held topic's titles: left for the outliers step, or in a grey group.
    dissolved = (labels != OUTLIER) & ((refined == OUTLIER) | grey_group)
    moved = (refined != labels) & ~dissolved & ~grey_group
    pd.DataFrame({"title_key": titles["title_key"], "topic": refined, "moved": moved, "dissolved": dissolved,
                  "grey_group": grey_group}).to_parquet(snakemake.output.labels, index=False)
    topic_categories.to_parquet(snakemake.output.topic_categories, index=False)
    categories.to_parquet(snakemake.output.categories, index=False)
    audit.to_parquet(snakemake.output.audit, index=False)
    Path(snakemake.output.usage).write_text(json.dumps(usage, indent=2))
    log.info("label: %d categories, %d topics named (%s); %d of %d titles moved to the category whose centroid "
             "is nearer; %d left topics held together by rank words; %d grey titles make categories of their own",
             len(categories), len(topic_categories), settings["mode"], int(moved.sum()), len(labels),
             int(dissolved.sum()), int(grey_group.sum()))


run_step(snakemake.log[0], main)
