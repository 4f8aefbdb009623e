"""The methods compared: baselines and the workflow's own clustering code, each returning labels per title."""

from __future__ import annotations

import numpy as np

from jobtopics.cluster import cluster_points
from jobtopics.label import group_topics, topic_centroids
from jobtopics.names import OUTLIER
from jobtopics.reduce import reduce_embeddings

# The shipped config's reduce/cluster values (cluster.params: config) and label.n_categories.
WORKFLOW = {"n_neighbors": 15, "n_components": 5, "min_dist": 0.0, "min_cluster_size": 5, "min_samples": None}
N_CATEGORIES = 20


def tfidf_kmeans(titles: list[str], k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(titles)
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)


def embedding_kmeans(embeddings: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(embeddings)


def bertopic_default(titles: list[str], embeddings: np.ndarray, seed: int) -> np.ndarray:
    """BERTopic's defaults on raw titles: UMAP 5-D (15 neighbours, cosine) + HDBSCAN min_cluster_size 15."""
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    model = BERTopic(umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                                     random_state=seed),
                     hdbscan_model=HDBSCAN(min_cluster_size=15, metric="euclidean", cluster_selection_method="eom",
                                           prediction_data=True),
                     language="multilingual")
    topics, _ = model.fit_transform(titles, embeddings)
    return np.asarray(topics)


def workflow_topics(embeddings: np.ndarray, seed: int) -> np.ndarray:
    """The workflow's fine topics: seeded UMAP on an exact kNN graph, then HDBSCAN (-1 = Uncategorized)."""
    points = reduce_embeddings(embeddings, n_components=WORKFLOW["n_components"], n_neighbors=WORKFLOW["n_neighbors"],
                               min_dist=WORKFLOW["min_dist"], metric="cosine", seed=seed)
    return cluster_points(points, min_cluster_size=WORKFLOW["min_cluster_size"], min_samples=WORKFLOW["min_samples"])


def reduce_outliers(embeddings: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Give each Uncategorized title the topic with the most similar centroid (BERTopic's 'embeddings' strategy)."""
    topics = sorted(set(labels.tolist()) - {OUTLIER})
    if not topics or OUTLIER not in labels:
        return labels
    centroids = topic_centroids(embeddings, labels, topics)
    centroids = centroids / np.linalg.norm(centroids, axis=1, keepdims=True)
    result = labels.copy()
    outliers = labels == OUTLIER
    result[outliers] = np.asarray(topics)[np.argmax(embeddings[outliers] @ centroids.T, axis=1)]
    return result


def broad_categories(embeddings: np.ndarray, topics: np.ndarray) -> np.ndarray:
    """The label step's grouping of topics into label.n_categories categories (outliers stay outliers)."""
    ids = sorted(set(topics.tolist()) - {OUTLIER})
    if not ids:
        return topics
    groups = group_topics(topic_centroids(embeddings, topics, ids), N_CATEGORIES)
    mapping = dict(zip(ids, groups.tolist()))
    return np.array([mapping.get(topic, OUTLIER) for topic in topics.tolist()])
