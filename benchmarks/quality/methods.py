"""Baselines and replays, each returning one label per unique title of a workflow run (-1 = Uncategorized)."""

from __future__ import annotations

import numpy as np

from jobtopics.categories import group_topics, refine_topics, topic_centroids
from jobtopics.names import OUTLIER
from jobtopics.outliers import reassign_outliers


def kmeans(vectors: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)


def bertopic_defaults(titles: list[str], vectors: np.ndarray, seed: int) -> np.ndarray:
    """BERTopic 0.17.4 as shipped (UMAP 15 neighbors / 5-D / cosine, HDBSCAN min_topic_size 10), seeded UMAP."""
    from bertopic import BERTopic
    from umap import UMAP

    model = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                     random_state=seed), language="multilingual")
    topics, _ = model.fit_transform(titles, vectors)
    return np.asarray(topics)


def average_linkage_categories(vectors: np.ndarray, topics: np.ndarray, n_categories: int = 20) -> np.ndarray:
    """The previous release's merge: average-linkage (cosine) clustering of topic centroids into
    n_categories groups, Uncategorized kept as it was."""
    from sklearn.cluster import AgglomerativeClustering

    ids = sorted(set(topics.tolist()) - {OUTLIER})
    if len(ids) <= n_categories:
        groups = np.arange(len(ids))
    else:
        groups = AgglomerativeClustering(n_clusters=n_categories, metric="cosine", linkage="average").fit_predict(
            topic_centroids(vectors, topics, ids))
    mapping = dict(zip(ids, groups.tolist()))
    return np.array([mapping.get(topic, OUTLIER) for topic in topics.tolist()])


def shipped_categories(vectors: np.ndarray, topics: np.ndarray, label: dict, outliers: dict) -> np.ndarray:
    """The label and outliers steps' grouping replayed on any topics (a sweep cell's): category index per title.
    Topic sizes count titles here, people in the label step: the same when every title is one person's."""
    ids = sorted(set(topics.tolist()) - {OUTLIER})
    if not ids:
        return topics
    sizes = np.array([int((topics == topic).sum()) for topic in ids])
    groups = group_topics(topic_centroids(vectors, topics, ids), sizes, label["n_categories"],
                          label["max_category_share"])
    category_of_topic = dict(zip(ids, groups.tolist()))
    topics = refine_topics(vectors, topics, category_of_topic, label["refine_min_gain"])
    if outliers["activate"]:
        topics = reassign_outliers(vectors, topics, category_of_topic, outliers["min_similarity"])["topic"].to_numpy()
    return np.array([category_of_topic.get(topic, OUTLIER) for topic in topics.tolist()])
