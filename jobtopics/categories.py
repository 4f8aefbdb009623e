"""Topics -> broad categories: Ward clustering of the topic centroids.

Ward keeps categories of comparable spread; the average linkage used before let one
category swallow half of a network (docs/benchmarks.md). The number of categories
comes from the data: at most `label.n_categories`, and at most three quarters of the
topics (two at least), so that the two levels differ. A category
above `label.max_category_share` of the people is split in two (Ward on its own
topics) while it holds more than one topic; a single dense topic that large is left
whole (and logged): the data is like that.
"""

from __future__ import annotations

import logging
import math

import numpy as np

log = logging.getLogger(__name__)


def topic_centroids(embeddings: np.ndarray, labels: np.ndarray, topics: list[int]) -> np.ndarray:
    centroids = np.vstack([embeddings[labels == topic].mean(axis=0) for topic in topics])
    norms = np.linalg.norm(centroids, axis=1, keepdims=True)
    return centroids / np.where(norms == 0, 1, norms)


def category_count(n_topics: int, max_categories: int) -> int:
    """How many categories `n_topics` topics make: at most max_categories and at most three quarters of the topics
    (so the two levels differ), but two topics are never forced into one category (nurses and engineers stay apart
    in a tiny network). Three quarters, not half: replayed on the quality benchmark's own runs, halving merged
    distinct occupations (multilingual set AMI 0.446 against 0.484)."""
    return min(n_topics, max_categories, max(2, math.ceil(n_topics * 3 / 4)))


def group_topics(centroids: np.ndarray, sizes: np.ndarray, max_categories: int,
                 max_share: float = 1.0) -> np.ndarray:
    """Category index per topic: Ward on the centroids, then each category of several topics that holds more
    than max_share of the total size (people) is split in two (Ward on its own topics) until none does."""
    n_topics = centroids.shape[0]
    k = category_count(n_topics, max_categories)
    if n_topics <= k:
        return np.arange(n_topics)
    groups = _ward(centroids, k)
    total = sizes.sum()
    while True:
        shares = np.bincount(groups, weights=sizes) / total
        splittable = [group for group in np.argsort(-shares)
                      if shares[group] > max_share and (groups == group).sum() > 1]
        if not splittable:
            break
        members = np.flatnonzero(groups == splittable[0])
        halves = _ward(centroids[members], 2)
        groups[members[halves == 1]] = groups.max() + 1
    if (np.bincount(groups, weights=sizes) / total > max_share).any():
        log.info("a single topic holds more than %.0f%% of the people: the data is like that, it stays one category",
                 100 * max_share)
    return _number_by_first_topic(groups)


def _ward(centroids: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(centroids) <= k:
        return np.arange(len(centroids))
    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centroids)


def _number_by_first_topic(groups: np.ndarray) -> np.ndarray:
    """Categories numbered in order of their first topic, so the numbering does not depend on split order."""
    order = {group: number for number, group in enumerate(dict.fromkeys(groups.tolist()))}
    return np.array([order[group] for group in groups.tolist()], dtype=np.int64)
