"""Uncategorized titles that are similar enough to a category join it; the rest stay Uncategorized.

HDBSCAN leaves a title out of every topic when it sits between dense regions, not
only when it fits nowhere: "Head of Data Platform" may sit between data and
leadership. Such a title joins the category whose centroid (the mean of its
clustered titles) is most similar, if that cosine similarity reaches
`outliers.min_similarity`, and within it the most similar topic — BERTopic's
`reduce_outliers(strategy="embeddings")` with a threshold, at the category level.
The workflow passes the titles' vectors without rank words (level_free.npy): a grey
"Senior Agile Coach" is placed by what it is, not beside other "Senior ..." titles.
It starts from the label step's topics (results/fit/<id>/label/labels.parquet, after the
title-by-title refinement); HDBSCAN's own labels stay in results/fit/<id>/cluster/labels.parquet.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .categories import nearest_topic_within, topic_centroids
from .names import OUTLIER


def reassign_outliers(embeddings: np.ndarray, topics: np.ndarray, category_of_topic: dict[int, str],
                      min_similarity: float) -> pd.DataFrame:
    """topic (after reassignment), reassigned, similarity (of an outlier to its most similar category; NaN for clustered titles)."""
    result = pd.DataFrame({"topic": topics.astype(np.int64), "reassigned": False,
                           "similarity": np.full(len(topics), np.nan, dtype=np.float32)})
    outliers = np.flatnonzero(topics == OUTLIER)
    clustered = sorted(set(topics.tolist()) - {OUTLIER})
    if not len(outliers) or not clustered:
        return result
    categories = sorted({category_of_topic[topic] for topic in clustered})
    index_of = {category: number for number, category in enumerate(categories)}
    category_labels = np.array([index_of[category_of_topic[t]] if t != OUTLIER else OUTLIER for t in topics.tolist()])
    category_similarity = embeddings[outliers] @ topic_centroids(embeddings, category_labels,
                                                                 list(range(len(categories)))).T
    best_category = category_similarity.argmax(axis=1)
    best_similarity = category_similarity.max(axis=1)
    joining = best_similarity >= min_similarity
    best_topic = nearest_topic_within(embeddings, outliers, np.asarray(categories, dtype=object)[best_category],
                                      topics, category_of_topic)
    result.loc[outliers[joining], "topic"] = best_topic[joining]
    result.loc[outliers[joining], "reassigned"] = True
    result.loc[outliers, "similarity"] = best_similarity.astype(np.float32)
    return result
