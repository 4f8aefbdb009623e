"""Topics -> broad categories: Ward clustering of the topic centroids.

Ward keeps categories of comparable spread; the average linkage used before let one
category swallow half of a network (docs/benchmarks.md). The number of categories
comes from the data: at most `label.n_categories`, and at most half the topics (two at
least), so that a category holds two topics on average and the two levels differ. A category
above `label.max_category_share` of the titles is split further while it holds more
than one topic; a single dense topic that large is left whole (and logged).
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
    """How many categories `n_topics` topics make: at most max_categories and at most half the topics, but two
    topics are never forced into one category (nurses and engineers stay apart in a tiny network)."""
    return min(n_topics, max_categories, max(2, math.ceil(n_topics / 2)))


def group_topics(centroids: np.ndarray, sizes: np.ndarray, max_categories: int,
                 max_share: float = 1.0) -> np.ndarray:
    """Category index per topic (Ward on the centroids), split further while a category of several topics holds
    more than max_share of the titles."""
    n_topics = centroids.shape[0]
    k = category_count(n_topics, max_categories)
    if n_topics <= k:
        return np.arange(n_topics)
    from sklearn.cluster import AgglomerativeClustering

    total = sizes.sum()
    while True:
        groups = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centroids)
        shares = np.bincount(groups, weights=sizes) / total
        topics_per_group = np.bincount(groups)
        too_big = (shares > max_share) & (topics_per_group > 1)
        if not too_big.any() or k >= n_topics:
            if (shares > max_share).any():
                log.info("a category holds %.0f%% of the titles: it is one dense topic, left whole",
                         100 * shares.max())
            return groups
        k += 1
