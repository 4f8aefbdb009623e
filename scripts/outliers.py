"""Snakemake glue: Uncategorized titles similar enough to a category join it."""

import numpy as np
import pandas as pd

from jobtopics.names import OUTLIER
from jobtopics.outliers import reassign_outliers
from jobtopics.step import log, run_step


def main():
    titles = pd.read_parquet(snakemake.input.titles)
    labels = pd.read_parquet(snakemake.input.labels)
    if not labels["title_key"].equals(titles["title_key"]):
        raise ValueError("the cluster labels are not in the order of the fitted map's titles")
    topic_categories = pd.read_parquet(snakemake.input.topic_categories)
    category_of_topic = dict(zip(topic_categories["topic"], topic_categories["category"]))
    min_similarity = snakemake.params.min_similarity
    # Placed by what they are, not their rank: the vectors without rank words (jobtopics.categories.placement_vectors).
    result = reassign_outliers(np.load(snakemake.input.level_free), labels["topic"].to_numpy(), category_of_topic,
                               min_similarity)
    result.insert(0, "title_key", titles["title_key"])
    # The label step's title-by-title moves, dissolved rank-held topics and grey groups stay on record for the report.
    for flag in ("moved", "dissolved", "grey_group"):
        result[flag] = labels[flag].to_numpy()
    result.to_parquet(snakemake.output.labels, index=False)
    before = int((labels["topic"] == OUTLIER).sum())
    log.info("outliers: %d of %d titles were Uncategorized; %d joined a category (similarity >= %.2f), "
             "%d remain", before, len(result), int(result["reassigned"].sum()), min_similarity,
             int((result["topic"] == OUTLIER).sum()))


run_step(snakemake.log[0], main)
