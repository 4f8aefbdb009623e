"""What the label and outliers steps make of one clustering: a category per title, and how well those categories
separate in the embedding space.

The sweep uses both to choose between its shortlisted settings by the categories a reader will see rather than by
the fine topics alone (jobtopics.sweep.select); the quality benchmark replays them on every sweep cell.
"""

from __future__ import annotations

import numpy as np

from .categories import Merge, group_and_refine, placement_vectors
from .names import OUTLIER
from .outliers import reassign_outliers

# Silhouette is quadratic in the number of titles; above this it is estimated on a fixed sample (0.2 s at 3,000
# titles of 896 dimensions on 2 cores, against 1.1 s for all of a 7K network).
SILHOUETTE_SAMPLE = 3000


def category_per_title(embeddings: np.ndarray, topics: np.ndarray, people: np.ndarray, *, n_categories: int,
                       max_share: float, refine_min_gain: float | None, min_similarity: float | None,
                       rank_cohesion_drop: float | None = None, level_free: np.ndarray | None = None,
                       grey_group_min_titles: int | None = None, grey_group_max_distance: float = 0.5,
                       merge: Merge | None = None, placement: np.ndarray | None = None) -> np.ndarray:
    """Category index per title (-1: Uncategorized), as the label step groups the topics (rank-held topics
    dissolved, Ward on the centroids, the size cap on people, the title-by-title refinement, grey groups the
    categories miss made categories) and the outliers step then places grey titles (min_similarity None: the
    outliers step is off). merge: another merge than Ward, for replays (jobtopics.categories.group_and_refine).
    placement: the vectors the outliers step places grey titles by (default: the level-free ones when given,
    jobtopics.categories.placement_vectors; the quality benchmark replays the embeddings)."""
    if not (topics != OUTLIER).any():
        return np.asarray(topics, dtype=np.int64)
    category_of_topic, topics = group_and_refine(embeddings, topics, people, n_categories, max_share, refine_min_gain,
                                                 level_free, rank_cohesion_drop, grey_group_min_titles,
                                                 grey_group_max_distance, merge)
    if min_similarity is not None:
        if placement is None:
            placement = placement_vectors(embeddings, level_free)
        topics = reassign_outliers(placement, topics, category_of_topic, min_similarity)["topic"].to_numpy()
    return np.array([category_of_topic.get(topic, OUTLIER) for topic in topics.tolist()], dtype=np.int64)


def category_silhouette(embeddings: np.ndarray, categories: np.ndarray, sample: int = SILHOUETTE_SAMPLE) -> float:
    """Mean silhouette (cosine) of the categorised titles in the embedding space: how much nearer each title is
    to its own category than to the next one. NaN with fewer than two categories."""
    from sklearn.metrics import silhouette_score

    clustered = categories != OUTLIER
    n_categories = len(set(categories[clustered].tolist()))
    if not 2 <= n_categories < clustered.sum():
        return float("nan")
    return float(silhouette_score(embeddings[clustered], categories[clustered], metric="cosine",
                                  sample_size=min(sample, int(clustered.sum())), random_state=0))
