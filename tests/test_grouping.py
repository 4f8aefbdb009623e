"""The label and outliers steps' grouping, replayed for the sweep's choice, and the categories' silhouette."""

from __future__ import annotations

import math

import numpy as np

from jobtopics.categories import rank_held_topics
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


def test_silhouette_rewards_separated_categories_and_ignores_the_grey():
    separated = np.array([0, 0, 0, 0, 1, 1, 1, 1, -1, -1])
    mixed = np.array([0, 1, 0, 1, 0, 1, 0, 1, -1, -1])
    assert category_silhouette(VECTORS, separated) > 0.9
    assert category_silhouette(VECTORS, mixed) < 0
    assert math.isnan(category_silhouette(VECTORS, np.array([0] * 8 + [-1, -1])))
