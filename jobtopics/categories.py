"""Topics -> broad categories: Ward clustering of the topic centroids, then refined title by title.

Ward keeps categories of comparable spread; the average linkage used before let one
category swallow half of a network (docs/benchmarks.md). The number of categories
comes from the data: at most `label.n_categories`, and at most three quarters of the
topics (two at least), so that the two levels differ. A category
above `label.max_category_share` of the people is split in two (Ward on its own
topics) while it holds more than one topic; a single dense topic that large is left
whole (and logged): the data is like that.

A topic is found in the UMAP space and is not always pure: some of its titles are
nearer, in the embedding space, to another category's centroid than to their own.
`refine_categories` moves those clearly nearer (k-means assignment steps from the
categories, until none moves), and a moved title joins the most similar topic of its new category, so that
every topic still lies inside one category.

Titles left grey (HDBSCAN's noise, dissolved rank-held topics) can be a field the categories miss: a network of
engineers with a handful of recruiters leaves the recruiters between dense regions, and the outliers step would
spread them over the nearest categories. `grey_group_categories` gives such a group a category of its own.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

import numpy as np

from .names import OUTLIER

log = logging.getLogger(__name__)

# k-means assignment steps in refine_categories: repeating the step until nothing moves beat a single step on the
# English benchmark sets and cost the multilingual set a little (README, docs/benchmarks.md); it settles in a few.
REFINE_ROUNDS = 10

# A merge of topics into categories: (topic ids, their centroids, number of categories) -> a group per topic.
Merge = Callable[[list[int], np.ndarray, int], np.ndarray]


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
                 max_share: float = 1.0, first_grouping: np.ndarray | None = None) -> np.ndarray:
    """Category index per topic: Ward on the centroids, then each category of several topics that holds more
    than max_share of the total size (people) is split in two (Ward on its own topics) until none does.
    first_grouping: a group per topic to start from instead of Ward's (another merge, replayed by the quality
    benchmark through the same size cap)."""
    n_topics = centroids.shape[0]
    k = category_count(n_topics, max_categories)
    if n_topics <= k:
        return np.arange(n_topics)
    groups = _ward(centroids, k) if first_grouping is None else np.unique(first_grouping, return_inverse=True)[1]
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


def cohesion(vectors: np.ndarray) -> float:
    """Mean cosine of vectors to their normalised mean."""
    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    centroid = unit.mean(axis=0)
    return float((unit @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12))).mean())


def rank_held_topics(embeddings: np.ndarray, level_free: np.ndarray, topics: np.ndarray, min_drop: float) -> list[int]:
    """Topics held together by rank rather than by work ("Lead Backend Engineer", "lead civil engineer", "Lead Cloud
    Architect"): their titles are at least min_drop less alike (cohesion) once rank words and regions are stripped.
    level_free: the same titles' vectors without them (jobtopics.texts). A network whose every topic is such a
    clump keeps them: there would be nothing left to join."""
    ids = sorted(set(topics.tolist()) - {OUTLIER})
    held = [topic for topic in ids
            if cohesion(embeddings[topics == topic]) - cohesion(level_free[topics == topic]) >= min_drop]
    return held if len(held) < len(ids) else []


def group_and_refine(embeddings: np.ndarray, topics: np.ndarray, people: np.ndarray, n_categories: int,
                     max_share: float, refine_min_gain: float | None, level_free: np.ndarray | None = None,
                     rank_cohesion_drop: float | None = None, grey_group_min_titles: int | None = None,
                     grey_group_max_distance: float = 0.5, merge: Merge | None = None,
                     ) -> tuple[dict[int, int], np.ndarray]:
    """The label step's grouping of one clustering: (category per topic, topic per title after refine_topics and
    grey_group_categories). merge: how the topics are grouped before the size cap (default Ward on their
    centroids; the quality benchmark replays other merges). Topic sizes count people: the size cap is on "a fifth
    of my network", what a reader sees. With level_free and rank_cohesion_drop, the titles of rank-held topics
    (rank_held_topics) become Uncategorized first, for the outliers step to place by what they are. With
    grey_group_min_titles, groups of grey titles the categories miss become categories of their own (new topics
    numbered after `topics`' largest)."""
    first_new_topic = int(topics.max()) + 1 if len(topics) else 0
    if level_free is not None and rank_cohesion_drop is not None:
        held = rank_held_topics(embeddings, level_free, topics, rank_cohesion_drop)
        if held:
            log.info('%d topics held together by rank words (such as all "Lead ...") dissolved: %d titles',
                     len(held), int(np.isin(topics, held).sum()))
            topics = np.where(np.isin(topics, held), OUTLIER, topics)
    ids = sorted(set(topics.tolist()) - {OUTLIER})
    people = np.asarray(people, dtype=float)
    sizes = np.array([people[topics == topic].sum() for topic in ids])
    centroids = topic_centroids(embeddings, topics, ids)
    first = None if merge is None else merge(ids, centroids, category_count(len(ids), n_categories))
    groups = group_topics(centroids, sizes, n_categories, max_share, first)
    category_of_topic = dict(zip(ids, groups.tolist()))
    topics = refine_topics(embeddings, topics, category_of_topic, refine_min_gain)
    if grey_group_min_titles is None:
        return category_of_topic, topics
    return grey_group_categories(embeddings, placement_vectors(embeddings, level_free), topics,
                                 category_of_topic, n_categories, grey_group_min_titles, grey_group_max_distance,
                                 first_new_topic)


def placement_vectors(embeddings: np.ndarray, level_free: np.ndarray | None) -> np.ndarray:
    """The vectors grey titles are placed by (grey groups, the outliers step): the level-free ones when there are,
    so that a grey "Senior Agile Coach" joins the agile coaches, not the category of other "Senior ..." titles
    (docs/benchmarks.md replays the outliers step on the embeddings beside it)."""
    return embeddings if level_free is None else level_free


def grey_group_categories(embeddings: np.ndarray, vectors: np.ndarray, topics: np.ndarray,
                          category_of_topic: dict[int, int], n_categories: int, min_titles: int, max_distance: float,
                          first_new_topic: int) -> tuple[dict[int, int], np.ndarray]:
    """(category per topic, topic per title) with categories formed from grey titles the categories miss.

    The grey titles are grouped by average linkage on `vectors` (the level-free ones: "Lead" must not make a
    group): a group's titles are on average within max_distance (cosine) of each other. A group of at least
    min_titles becomes a new topic and category when its centroid is less similar to the nearest category's
    centroid than that category's own titles are on average (cohesion): it lies outside every category. Largest
    groups first, while there are fewer than n_categories; the rest stay grey for the outliers step. The quality
    benchmark's runs nearly always have n_categories already (its replay without this: ±0.002 AMI,
    docs/benchmarks.md); on the bundled example it makes recruiters (in some draws team leads too) categories."""
    from sklearn.cluster import AgglomerativeClustering

    grey = np.flatnonzero(topics == OUTLIER)
    categories = np.array([category_of_topic.get(topic, OUTLIER) for topic in topics.tolist()])
    category_ids = sorted(set(categories.tolist()) - {OUTLIER})
    room = n_categories - len(category_ids)
    if room <= 0 or not category_ids or len(grey) < max(min_titles, 2):
        return category_of_topic, topics
    links = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=max_distance).fit_predict(vectors[grey])
    groups = sorted((grey[links == link] for link in np.unique(links) if (links == link).sum() >= min_titles),
                    key=lambda members: (-len(members), members[0]))
    centroids = topic_centroids(embeddings, categories, category_ids)
    spread = np.array([cohesion(embeddings[categories == category]) for category in category_ids])
    result, mapping = topics.copy(), dict(category_of_topic)
    for members in groups:
        if room == 0:
            break
        centroid = embeddings[members].mean(axis=0)
        similarity = centroids @ (centroid / max(float(np.linalg.norm(centroid)), 1e-12))
        nearest = int(similarity.argmax())
        if similarity[nearest] >= spread[nearest]:
            continue
        topic = first_new_topic + len(mapping) - len(category_of_topic)
        result[members] = topic
        mapping[topic] = max(mapping.values()) + 1
        room -= 1
    if len(mapping) > len(category_of_topic):
        log.info("%d groups of grey titles unlike every category became categories: %d titles",
                 len(mapping) - len(category_of_topic), int((result >= first_new_topic).sum()))
    return mapping, result


def _ward(centroids: np.ndarray, k: int) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    if len(centroids) <= k:
        return np.arange(len(centroids))
    return AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(centroids)


def _number_by_first_topic(groups: np.ndarray) -> np.ndarray:
    """Categories numbered in order of their first topic, so the numbering does not depend on split order."""
    order = {group: number for number, group in enumerate(dict.fromkeys(groups.tolist()))}
    return np.array([order[group] for group in groups.tolist()], dtype=np.int64)


def refine_categories(embeddings: np.ndarray, categories: np.ndarray, min_gain: float,
                      rounds: int = REFINE_ROUNDS) -> np.ndarray:
    """Category per title after k-means assignment steps from the given categories: a clustered title moves to
    the category whose centroid (normalised mean of its titles) is most similar, when that is at least min_gain
    (cosine) more similar than its own category's; centroids are recomputed and the step repeated until no title
    moves (at most `rounds` times). Small gains stay put: they are mostly titles the model places poorly
    (languages it was not trained on), which HDBSCAN's neighbourhoods had placed better. Uncategorized titles (-1)
    neither move nor count."""
    refined = categories.astype(np.int64).copy()
    clustered = np.flatnonzero(refined != OUTLIER)
    for _ in range(rounds if len(clustered) else 0):
        ids = np.asarray(sorted(set(refined[clustered].tolist())))
        similarity = embeddings[clustered] @ topic_centroids(embeddings, refined, ids.tolist()).T
        own = similarity[np.arange(len(clustered)), np.searchsorted(ids, refined[clustered])]
        moving = similarity.max(axis=1) - own >= max(min_gain, np.finfo(np.float32).eps)
        if not moving.any():
            break
        refined[clustered[moving]] = ids[similarity[moving].argmax(axis=1)]
    return refined


def nearest_topic_within(embeddings: np.ndarray, rows: np.ndarray, target_categories: np.ndarray,
                         topics: np.ndarray, category_of_topic: dict[int, int | str]) -> np.ndarray:
    """For each title in rows, the most similar topic (centroid of the topic's titles in `topics`) among the
    topics of its target category."""
    clustered = sorted(set(topics.tolist()) - {OUTLIER})
    similarity = embeddings[rows] @ topic_centroids(embeddings, topics, clustered).T
    topic_category = np.array([category_of_topic[topic] for topic in clustered], dtype=object)
    allowed = topic_category[None, :] == np.asarray(target_categories, dtype=object)[:, None]
    return np.asarray(clustered)[np.where(allowed, similarity, -np.inf).argmax(axis=1)]


def refine_topics(embeddings: np.ndarray, topics: np.ndarray, category_of_topic: dict[int, int],
                  min_gain: float | None) -> np.ndarray:
    """Topic per title after refine_categories: a title whose category changed joins the most similar topic of
    its new category; the others keep theirs. Uncategorized titles stay -1; min_gain None keeps whole topics."""
    if min_gain is None:
        return topics.astype(np.int64).copy()
    categories = np.array([category_of_topic.get(topic, OUTLIER) for topic in topics.tolist()], dtype=np.int64)
    refined = refine_categories(embeddings, categories, min_gain)
    moved = np.flatnonzero(refined != categories)
    result = topics.astype(np.int64).copy()
    if len(moved):
        result[moved] = nearest_topic_within(embeddings, moved, refined[moved], topics, category_of_topic)
    return result
