"""Topics -> categories (Ward on centroids, data-driven count, size cap, title-by-title refinement) and outlier
reassignment."""

import numpy as np

from jobtopics.categories import category_count, group_topics, refine_categories, refine_topics
from jobtopics.names import OUTLIER
from jobtopics.outliers import reassign_outliers


def unit(rows):
    rows = np.asarray(rows, dtype=float)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_close_centroids_share_a_category():
    centroids = unit([[1, 0, 0], [0.99, 0.1, 0], [0, 1, 0], [0, 0.98, 0.1]])
    groups = group_topics(centroids, np.ones(4), max_categories=2)
    assert groups[0] == groups[1] and groups[2] == groups[3] and groups[0] != groups[2]


def test_categories_never_outnumber_three_quarters_of_the_topics():
    assert category_count(17, 20) == 13  # the example used to get one category per topic
    assert category_count(200, 20) == 20
    assert category_count(3, 20) == 3 and category_count(4, 20) == 3
    assert category_count(2, 20) == 2 and category_count(1, 20) == 1
    centroids = unit(np.eye(8) + 0.01)
    assert len(set(group_topics(centroids, np.ones(8), max_categories=20).tolist())) == 6


def test_a_category_of_several_topics_above_the_cap_is_split():
    # Topics 0-3 sit close together and hold most titles; with 2 categories they would form one of 80 %.
    centroids = unit([[1, 0.00, 0], [1, 0.05, 0], [1, 0.10, 0], [1, 0.15, 0], [0, 1, 0], [0, 0.9, 0.3]])
    sizes = np.array([20, 20, 20, 20, 10, 10])
    uncapped = group_topics(centroids, sizes, max_categories=2)
    assert np.bincount(uncapped, weights=sizes).max() == 80
    capped = group_topics(centroids, sizes, max_categories=2, max_share=0.45)
    assert np.bincount(capped, weights=sizes).max() / sizes.sum() <= 0.45
    assert capped[4] == capped[5] and capped[4] not in capped[:4]  # only the big category was split


def test_one_dense_topic_above_the_cap_is_left_whole():
    centroids = unit([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0.1, 1]])
    sizes = np.array([70, 10, 10, 10])
    groups = group_topics(centroids, sizes, max_categories=2, max_share=0.2)
    # Split until only the 70 % topic is above the cap; it stays one category; topics 2 and 3 (20 %) stay together.
    assert len(set(groups.tolist())) == 3 and groups[2] == groups[3]
    assert (groups[0] != groups[1:]).all()


def test_outliers_join_a_similar_category_and_its_nearest_topic():
    embeddings = unit([[1, 0, 0], [1, 0.1, 0], [0.9, 0.3, 0],  # topics 0 and 1: category "A"
                       [0, 1, 0], [0, 1, 0.1],  # topic 2: category "B"
                       [0.95, 0.28, 0.1],  # outlier near topic 1
                       [0, 0, 1]])  # outlier like nothing
    topics = np.array([0, 0, 1, 2, 2, OUTLIER, OUTLIER])
    result = reassign_outliers(embeddings, topics, {0: "A", 1: "A", 2: "B"}, min_similarity=0.5)
    assert result["topic"].tolist() == [0, 0, 1, 2, 2, 1, OUTLIER]
    assert result["reassigned"].tolist() == [False] * 5 + [True, False]
    assert np.isnan(result["similarity"][:5]).all() and result["similarity"][5] > 0.9
    assert result["similarity"][6] < 0.5
    strict = reassign_outliers(embeddings, topics, {0: "A", 1: "A", 2: "B"}, min_similarity=0.999)
    assert (strict["topic"] == topics).all() and not strict["reassigned"].any()


def test_reassignment_without_outliers_or_topics_changes_nothing():
    embeddings = unit(np.eye(3))
    assert reassign_outliers(embeddings, np.array([0, 0, 1]), {0: "A", 1: "B"}, 0.5)["topic"].tolist() == [0, 0, 1]
    only_outliers = np.full(3, OUTLIER)
    assert reassign_outliers(embeddings, only_outliers, {}, 0.5)["topic"].tolist() == [OUTLIER] * 3


# Category A: topics 0 and 1 around x; category B: topic 2 around y. Title 2 was clustered into topic 1 (UMAP put
# it there) but lies by y: nearer B's centroid than A's.
REFINE_EMBEDDINGS = unit([[1, 0, 0], [1, 0.1, 0], [0.1, 1, 0],  # topic 0, topic 0, topic 1 (misplaced)
                          [1, 0, 0.2], [1, 0.05, 0.25],  # topic 1
                          [0, 1, 0], [0, 1, 0.1], [0.05, 1, 0.1],  # topic 2
                          [0, 0, 1]])  # Uncategorized
REFINE_TOPICS = np.array([0, 0, 1, 1, 1, 2, 2, 2, OUTLIER])


def test_refinement_moves_a_title_to_the_category_whose_centroid_is_nearer():
    categories = np.array([0, 0, 0, 0, 0, 1, 1, 1, OUTLIER])
    refined = refine_categories(REFINE_EMBEDDINGS, categories, min_gain=0.03)
    assert refined.tolist() == [0, 0, 1, 0, 0, 1, 1, 1, OUTLIER]  # the Uncategorized title does not move


def test_a_title_only_a_little_nearer_another_centroid_stays():
    # Title 2 sits midway: a hair nearer category 1's centroid than its own.
    embeddings = unit([[1, 0, 0], [1, 0.05, 0], [0.7, 1.05, 0], [0, 1, 0], [0.05, 1, 0]])
    categories = np.array([0, 0, 0, 1, 1])
    centroids = [embeddings[categories == c].mean(axis=0) for c in (0, 1)]
    centroids = [c / np.linalg.norm(c) for c in centroids]
    gain = embeddings[2] @ centroids[1] - embeddings[2] @ centroids[0]
    assert 0 < gain < 0.1
    assert refine_categories(embeddings, categories, min_gain=0.1).tolist() == categories.tolist()
    assert refine_categories(embeddings, categories, min_gain=gain / 2).tolist() == [0, 0, 1, 1, 1]


def test_a_moved_title_joins_a_topic_of_its_new_category_so_topics_stay_inside_one_category():
    category_of_topic = {0: 0, 1: 0, 2: 1}
    refined = refine_topics(REFINE_EMBEDDINGS, REFINE_TOPICS, category_of_topic, min_gain=0.03)
    assert refined.tolist() == [0, 0, 2, 1, 1, 2, 2, 2, OUTLIER]
    unchanged = refine_topics(REFINE_EMBEDDINGS, REFINE_TOPICS, category_of_topic, min_gain=None)
    assert (unchanged == REFINE_TOPICS).all()


def test_refinement_repeats_until_no_title_moves():
    # Titles on a quarter circle; "60°" moves first, and with it the centroids, so that "50°" follows.
    angles = np.radians([0, 10, 50, 60, 80, 90])
    embeddings = np.c_[np.cos(angles), np.sin(angles)]
    categories = np.array([0, 0, 0, 0, 1, 1])
    assert refine_categories(embeddings, categories, min_gain=0.02, rounds=1).tolist() == [0, 0, 0, 1, 1, 1]
    assert refine_categories(embeddings, categories, min_gain=0.02).tolist() == [0, 0, 1, 1, 1, 1]
