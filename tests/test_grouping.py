"""The label and outliers steps' grouping, replayed for the sweep's choice, and the categories' silhouette."""

from __future__ import annotations

import math

import numpy as np

from jobtopics.categories import grey_group_categories, rank_held_topics
from jobtopics.grouping import category_per_title, category_silhouette


def unit(rows):
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


# Three tight bunches of titles: two topics per bunch for the first two, a grey title near the first bunch, and
# one near nothing.
VECTORS = unit([[1, 0.05, 0], [1, -0.05, 0], [1, 0, 0.05], [1, 0, -0.05],
                [0, 1, 0.05], [0, 1, -0.05], [0.05, 1, 0], [-0.05, 1, 0],
                [0.9, 0.1, 0.1], [-1, -1, -1]])
TOPICS = np.array([0, 0, 1, 1, 2, 2, 3, 3, -1, -1])
SETTINGS = {"n_categories": 2, "max_share": 1.0, "refine_min_gain": 0.03}


def test_topics_of_one_bunch_share_a_category_and_a_near_grey_title_joins_it():
    categories = category_per_title(VECTORS, TOPICS, np.ones(len(TOPICS)), min_similarity=0.4, **SETTINGS)
    assert categories[0] == categories[2] == categories[8] != categories[4] == categories[6]
    assert categories[9] == -1  # fits nowhere: stays Uncategorized


def test_without_the_outliers_step_grey_titles_stay_grey():
    categories = category_per_title(VECTORS, TOPICS, np.ones(len(TOPICS)), min_similarity=None, **SETTINGS)
    assert categories[8] == categories[9] == -1


def test_the_size_cap_counts_people():
    # One person per title puts both bunches at half; 20 people on one title make its category too large to keep
    # its two topics together.
    people = np.ones(len(TOPICS))
    people[0] = 20
    capped = {**SETTINGS, "max_share": 0.6}
    assert len(set(category_per_title(VECTORS, TOPICS, np.ones(len(TOPICS)), min_similarity=None, **capped)) - {-1}) == 2
    assert len(set(category_per_title(VECTORS, TOPICS, people, min_similarity=None, **capped)) - {-1}) == 3


def test_another_merge_replaces_ward_before_the_same_steps():
    asked = []

    def across_bunches(ids, centroids, k):
        asked.append((list(ids), k))
        return np.array([topic % 2 for topic in ids])  # topics 0 and 2 together, 1 and 3: against their bunches

    settings = {**SETTINGS, "refine_min_gain": None}
    categories = category_per_title(VECTORS, TOPICS, np.ones(len(TOPICS)), min_similarity=None, merge=across_bunches,
                                    **settings)
    assert asked == [([0, 1, 2, 3], 2)]
    assert categories[0] == categories[4] != categories[2] == categories[6]
    ward = category_per_title(VECTORS, TOPICS, np.ones(len(TOPICS)), min_similarity=None, **settings)
    assert ward[0] == ward[2] != ward[4] == ward[6]


def test_a_topic_held_together_by_rank_words_is_dissolved_and_its_titles_join_their_work():
    # Axes: software, engineering, (unused), rank. "Lead Backend Engineer" and "lead civil engineer" are alike only
    # through "Lead": without it they point at software and at engineering.
    rank = np.array([0, 0, 0, 1.5])
    level_free = unit([[1, 0.05, 0, 0], [1, -0.05, 0, 0], [0, 1, 0.05, 0], [0, 1, -0.05, 0], [1, 0, 0, 0], [0, 1, 0, 0]])
    vectors = level_free.copy()
    vectors[4:] = unit(level_free[4:] + rank)
    topics = np.array([0, 0, 1, 1, 2, 2])
    settings = {"n_categories": 3, "max_share": 1.0, "refine_min_gain": 0.03, "min_similarity": 0.4}
    kept = category_per_title(vectors, topics, np.ones(6), **settings)
    assert kept[4] == kept[5] and len(set(kept.tolist())) == 3  # without the check the clump is a category
    dissolved = category_per_title(vectors, topics, np.ones(6), rank_cohesion_drop=0.08, level_free=level_free,
                                   **settings)
    assert dissolved[4] == dissolved[0] != dissolved[5] == dissolved[2]
    # Topics alike by their work stay, whatever the threshold: their cohesion does not drop without rank words.
    assert rank_held_topics(vectors, level_free, topics, 0.08) == [2]
    assert rank_held_topics(level_free, level_free, topics, 0.01) == []
    # A network whose only topic is such a clump keeps it: there is nothing else to join.
    assert rank_held_topics(vectors, level_free, np.array([-1, -1, -1, -1, 2, 2]), 0.08) == []


# Axes: engineering, data, recruiting, other, rank. Two categories of four titles; five grey recruiters, alike
# among themselves and unlike both; three grey titles at the engineers' centre; three grey "Lead ..." titles alike
# only through the rank word (a data one and two others).
GREY_AXES = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 1, 3, 3]
GREY_TOPICS = np.array([0, 0, 1, 1, 2, 2, 3, 3] + [-1] * 11)


def grey_vectors():
    rng = np.random.default_rng(0)
    noise = np.array([0.2] * 8 + [0.05] * 5 + [0.0] * 3 + [0.05] * 3)[:, None]
    level_free = unit(np.eye(5)[GREY_AXES] + noise * rng.normal(size=(len(GREY_AXES), 5)))
    vectors = level_free.copy()
    vectors[16:] = unit(level_free[16:] + 1.5 * np.eye(5)[4])
    return vectors, level_free


def test_grey_titles_alike_among_themselves_and_unlike_every_category_make_one():
    vectors, level_free = grey_vectors()
    category_of_topic = {0: 0, 1: 0, 2: 1, 3: 1}
    mapping, topics = grey_group_categories(vectors, level_free, GREY_TOPICS, category_of_topic, n_categories=5,
                                            min_titles=3, max_distance=0.5, first_new_topic=4)
    assert topics[8:13].tolist() == [4] * 5 and mapping == {**category_of_topic, 4: 2}
    # Near the engineers: left for the outliers step; "Lead ..." alike only by rank: no group (level-free vectors).
    assert (topics[13:] == -1).all() and (topics[:8] == GREY_TOPICS[:8]).all()
    # Too few of them, or no room under n_categories: nothing changes.
    for options in ({"n_categories": 5, "min_titles": 6}, {"n_categories": 2, "min_titles": 3}):
        unchanged, same = grey_group_categories(vectors, level_free, GREY_TOPICS, category_of_topic,
                                                max_distance=0.5, first_new_topic=4, **options)
        assert unchanged == category_of_topic and (same == GREY_TOPICS).all()


def test_the_replayed_grouping_makes_the_same_grey_group_category():
    vectors, level_free = grey_vectors()
    settings = {"n_categories": 5, "max_share": 1.0, "refine_min_gain": 0.03, "min_similarity": 0.4,
                "level_free": level_free}
    spread = category_per_title(vectors, GREY_TOPICS, np.ones(len(GREY_AXES)), **settings)
    grouped = category_per_title(vectors, GREY_TOPICS, np.ones(len(GREY_AXES)), grey_group_min_titles=5,
                                 grey_group_max_distance=0.5, **settings)
    assert len(set(grouped[8:13].tolist())) == 1 and grouped[8] not in set(grouped[:8].tolist()) | {-1}
    assert set(spread[8:13].tolist()) <= set(spread[:8].tolist()) | {-1}  # without it: a category or grey
    assert (grouped[:8] == spread[:8]).all()


def test_silhouette_rewards_separated_categories_and_ignores_the_grey():
    separated = np.array([0, 0, 0, 0, 1, 1, 1, 1, -1, -1])
    mixed = np.array([0, 1, 0, 1, 0, 1, 0, 1, -1, -1])
    assert category_silhouette(VECTORS, separated) > 0.9
    assert category_silhouette(VECTORS, mixed) < 0
    assert math.isnan(category_silhouette(VECTORS, np.array([0] * 8 + [-1, -1])))


def test_a_grey_title_joins_the_category_of_what_it_does_not_of_its_rank():
    # The grey title (row 8) reads "Senior <second bunch's job>": with its rank word it sits nearer the first bunch,
    # without it (its level-free vector) in the second.
    with_rank = VECTORS.copy()
    with_rank[8] = unit([[0.8, 0.6, 0]])[0]
    level_free = with_rank.copy()
    level_free[8] = unit([[0.1, 1, 0]])[0]
    by_rank = category_per_title(with_rank, TOPICS, np.ones(len(TOPICS)), min_similarity=0.4, **SETTINGS)
    assert by_rank[8] == by_rank[0]  # what the embeddings alone would do
    placed = category_per_title(with_rank, TOPICS, np.ones(len(TOPICS)), min_similarity=0.4, level_free=level_free,
                                **SETTINGS)
    assert placed[8] == placed[4] != placed[0]
    assert placed[9] == -1
