"""Baselines and replays, each returning one label per unique title of a workflow run (-1 = Uncategorized)."""

from __future__ import annotations

import numpy as np

from jobtopics.categories import Merge, topic_centroids
from jobtopics.cluster import renumber_by_size
from jobtopics.grouping import category_per_title
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


def shipped_categories(vectors: np.ndarray, topics: np.ndarray, label: dict, outliers: dict,
                       level_free: np.ndarray, merge: Merge | None = None,
                       placement: np.ndarray | None = None) -> np.ndarray:
    """The label and outliers steps' grouping replayed on any topics (a sweep cell's): category index per title.
    Topic sizes count titles here, people in the label step: the same when every title is one person's.
    level_free: the fit's vectors of the titles without rank words (rank-held topics are dissolved).
    merge: another merge of the topics than Ward (condensed_tree_merge, centroid_kmeans_merge), through the same
    size cap, refinement, grey groups and outliers steps. placement: the vectors the outliers step places grey
    titles by (default: the level-free ones, as shipped)."""
    return category_per_title(vectors, topics, np.ones(len(topics)), n_categories=label["n_categories"],
                              max_share=label["max_category_share"], refine_min_gain=label["refine_min_gain"],
                              rank_cohesion_drop=label["rank_cohesion_drop"], level_free=level_free,
                              grey_group_min_titles=label["grey_group_min_titles"],
                              grey_group_max_distance=label["grey_group_max_distance"],
                              min_similarity=outliers["min_similarity"] if outliers["activate"] else None,
                              merge=merge, placement=placement)


def centroid_kmeans_merge(seed: int) -> Merge:
    """KMeans (n_init 10) on the topic centroids in place of Ward, as many groups."""
    from sklearn.cluster import KMeans

    def merge(ids: list[int], centroids: np.ndarray, k: int) -> np.ndarray:
        return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(centroids)

    return merge


def condensed_tree_merge(model) -> Merge:
    """Topics grouped by HDBSCAN's own hierarchy: its condensed tree (of the fitted hdbscan.HDBSCAN that found the
    topics, jobtopics.cluster.fit_hdbscan) cut top down, splitting first the cluster whose children were born at
    the lowest density (the widest split), until there are as many groups as Ward makes or only selected clusters
    are left. Topics are numbered as jobtopics.cluster.renumber_by_size numbers them."""
    tree = model.condensed_tree_.to_pandas()
    clusters = tree[tree["child_size"] > 1]
    children = {parent: rows["child"].tolist() for parent, rows in clusters.groupby("parent")}
    birth = dict(zip(clusters["child"], clusters["lambda_val"]))
    topics = renumber_by_size(model.labels_)
    # hdbscan numbers the selected clusters in the order of their ids
    node_of_topic = {int(topics[np.flatnonzero(model.labels_ == label)[0]]): node
                     for label, node in enumerate(sorted(model.condensed_tree_._select_clusters()))}
    root = int(tree["parent"].min())

    def merge(ids: list[int], centroids: np.ndarray, k: int) -> np.ndarray:
        wanted = {node_of_topic[topic]: topic for topic in ids}

        def topics_under(node: int) -> list[int]:
            if node in wanted:
                return [wanted[node]]
            return [topic for child in children.get(node, []) for topic in topics_under(child)]

        frontier = [root]
        while len(frontier) < k:
            splittable = [node for node in frontier if node not in wanted and node in children]
            if not splittable:
                break
            node = min(splittable, key=lambda parent: min(birth[child] for child in children[parent]))
            frontier.remove(node)
            frontier.extend(child for child in children[node] if topics_under(child))
        group_of = {topic: group for group, node in enumerate(frontier) for topic in topics_under(node)}
        return np.array([group_of[topic] for topic in ids])

    return merge


def plscan_layers(space: np.ndarray, n_clusters: int) -> list[np.ndarray]:
    """fast-hdbscan's PLSCAN on a UMAP space, asked for about n_clusters (base_n_clusters: the min_cluster_size
    whose base layer has about that many) with its coarser layers; reproducible spanning tree, defaults otherwise."""
    from fast_hdbscan import PLSCAN

    return PLSCAN(reproducible=True, base_n_clusters=n_clusters).fit(space).cluster_layers_


def evoc_layers(vectors: np.ndarray, n_clusters: int, seed: int) -> list[np.ndarray]:
    """EVoC on the embedding vectors themselves (its own kNN graph and node embedding, no UMAP), asked for about
    n_clusters in its base layer (base_n_clusters), with its coarser layers; defaults otherwise."""
    from evoc import EVoC

    return EVoC(random_state=seed, base_n_clusters=n_clusters).fit(vectors).cluster_layers_


def layer_nearest(layers: list[np.ndarray], n_groups: int, vectors: np.ndarray, min_similarity: float) -> np.ndarray:
    """The layer whose number of clusters is nearest n_groups (the coarser on a tie), its noise placed as the
    shipped outliers step places grey titles: in the most similar cluster (centroid of its titles) when at
    least min_similarity (cosine), else Uncategorized."""
    layer = min(layers, key=lambda labels: (abs(int(labels.max()) + 1 - n_groups), int(labels.max())))
    layer = np.asarray(layer, dtype=np.int64)
    ids = sorted(set(layer.tolist()) - {OUTLIER})
    if not ids:
        return layer
    return reassign_outliers(vectors, layer, {cluster: cluster for cluster in ids}, min_similarity)["topic"].to_numpy()
