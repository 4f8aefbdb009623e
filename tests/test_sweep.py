"""Sensitivity sweep: grid layout, metrics with known answers, selection rule, shared kNN."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT
from snakemake.utils import Paramspace

from jobtopics.cluster import cluster_with_validity
from jobtopics.errors import ConfigError
from jobtopics.neighbors import nearest_neighbors
from jobtopics.reduce import reduce_embeddings
from jobtopics.settings import check_config
from jobtopics.sweep.grid import (CLUSTER_PARAMS, cell_folder, cell_table, cluster_table, grid_neighbors,
                                  space_table)
from jobtopics.sweep.compare import agreement
from jobtopics.sweep.metrics import TermSpace, size_gini, structure_metrics, term_metrics
from jobtopics.sweep.recommended import effective_settings, matching_space
from jobtopics.sweep.select import SelectionRule, choose_setting, recommend, representative_seed

GRID = {"n_neighbors": [15, 10, 10], "min_dist": [0.0], "n_components": [5], "min_cluster_size": [5, 10],
        "min_samples": [2], "seed": [2, 1, 3]}


def test_grid_is_the_sorted_cartesian_product_without_duplicates():
    cells = cell_table(GRID)
    assert len(cells) == 2 * 1 * 1 * 2 * 1 * 3
    assert cells["n_neighbors"].tolist()[:6] == [10] * 6
    assert sorted(cells["seed"].unique()) == [1, 2, 3]
    assert len(space_table(GRID)) == 2 * 3 and len(cluster_table(GRID)) == 2
    assert cells["min_dist"].dtype == float and cells["n_neighbors"].dtype == "int64"


def test_cell_folders_are_the_paths_paramspace_builds():
    cells = cell_table(GRID)
    expected = list(Paramspace(cells, filename_params=list(CLUSTER_PARAMS)).instance_patterns)
    assert [cell_folder(cell) for cell in cells.to_dict("records")] == expected
    assert expected[0] == "n_neighbors~10/min_dist~0.0/n_components~5/seed~1/min_cluster_size~5_min_samples~2"


def test_grid_neighbors_are_one_step_away_in_one_parameter():
    cells = cell_table({**GRID, "min_cluster_size": [5, 10, 20]})
    chosen = cells[(cells["n_neighbors"] == 10) & (cells["min_cluster_size"] == 10) & (cells["seed"] == 1)]
    neighbors = grid_neighbors(cells, chosen.iloc[0].to_dict())
    assert sorted(zip(neighbors["changed"], neighbors["n_neighbors"], neighbors["min_cluster_size"])) == [
        ("min_cluster_size", 10, 5), ("min_cluster_size", 10, 20), ("n_neighbors", 15, 10)]
    assert set(neighbors["seed"]) == {1}


def blobs(n_per_blob=60, n_blobs=4, dim=5, spread=0.05, seed=0):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_blobs, dim)) * 5
    points = np.vstack([centre + rng.normal(scale=spread, size=(n_per_blob, dim)) for centre in centres])
    return points, np.repeat(np.arange(n_blobs), n_per_blob)


def test_structure_metrics_high_on_separated_blobs_low_on_noise():
    points, truth = blobs()
    labels, validity = cluster_with_validity(points, min_cluster_size=10, min_samples=5)
    good = structure_metrics(points, labels, validity)
    assert good["n_topics"] == 4 and good["outlier_share"] < 0.05
    assert good["dbcv"] > 0.8 and good["silhouette"] > 0.8
    assert agreement(labels, truth)["ari"] > 0.95

    noise = np.random.default_rng(1).uniform(size=(240, 5))
    labels, validity = cluster_with_validity(noise, min_cluster_size=10, min_samples=5)
    bad = structure_metrics(noise, labels, validity)
    assert np.isnan(bad["dbcv"]) or bad["dbcv"] < 0.3
    assert np.isnan(bad["silhouette"]) or bad["silhouette"] < 0.3


def test_seed_stability_high_on_blobs_low_on_noise():
    def runs(embeddings):
        graph = nearest_neighbors(embeddings, 15, "euclidean")
        result = []
        for seed in (1, 2):
            points = reduce_embeddings(embeddings, n_components=5, n_neighbors=15, min_dist=0.0, metric="euclidean",
                                       seed=seed, neighbors=graph)
            result.append(cluster_with_validity(points, min_cluster_size=10, min_samples=5)[0])
        return result

    points, _ = blobs(dim=20, spread=0.3)
    assert agreement(*runs(points))["ari"] > 0.95
    noise = np.random.default_rng(2).normal(size=(240, 20))
    assert agreement(*runs(noise))["ari"] < 0.5


def test_size_gini_known_values():
    assert size_gini(np.array([10, 10, 10])) == pytest.approx(0.0)
    assert size_gini(np.array([0, 0, 0, 100])) == pytest.approx(0.75)
    assert size_gini(np.array([5])) == 0.0


def test_npmi_and_diversity_known_answers():
    documents = ["alpha beta", "alpha beta", "gamma delta", "gamma delta"]
    space = TermSpace(documents)
    assert space.npmi(["alpha", "beta"]) == pytest.approx(1.0)  # always together
    assert space.npmi(["alpha", "gamma"]) == pytest.approx(-1.0)  # never together
    labels = np.array([0, 0, 1, 1])
    metrics = term_metrics(space, labels, top_n=2)
    assert metrics["diversity"] == pytest.approx(1.0)
    assert metrics["npmi"] == pytest.approx(1.0)
    assert np.isnan(term_metrics(space, np.array([-1, -1, -1, -1]), top_n=2)["npmi"])  # no topics: no score
    assert term_metrics(space, np.array([0, 0, 0, 0]), top_n=4)["npmi"] < 1.0  # mixed topic: less coherent


def test_c_tf_idf_terms_come_from_the_topic_documents():
    space = TermSpace(["data engineer", "data scientist", "nurse practitioner", "registered nurse"])
    terms = space.class_terms(np.array([0, 0, 1, 1]), top_n=3)
    assert "data" in terms[0] and "nurse" in terms[1] and "nurse" not in terms[0]


def settings_frame(rows):
    columns = ["n_neighbors", "min_dist", "n_components", "min_cluster_size", "min_samples", "n_topics",
               "outlier_share", "npmi", "diversity", "stability_ari"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(largest_share=0.1) if "largest_share" not in frame else frame


RULE = SelectionRule(min_stability=0.6, max_outlier_share=0.35, min_topics=5, max_largest_share=0.2)


def test_selection_skips_a_setting_with_one_swallowing_topic():
    settings = settings_frame([(10, 0.0, 5, 5, 2, 20, 0.10, 0.9, 1.0, 0.8), (10, 0.0, 5, 10, 2, 12, 0.15, 0.2, 0.9, 0.8)])
    settings["largest_share"] = [0.35, 0.12]
    chosen, shortlist, relaxed = choose_setting(settings, RULE)
    assert not relaxed and len(shortlist) == 1 and chosen["min_cluster_size"] == 10


def test_the_relaxed_shortlist_keeps_the_outlier_cap():
    # Nothing has enough topics; the most stable setting has 60 % outliers and must not be picked.
    settings = settings_frame([(10, 0.0, 5, s, 2, 3, o, 0.5, 1.0, a) for s, o, a in
                               [(5, 0.60, 0.9), (10, 0.20, 0.5), (20, 0.25, 0.4), (40, 0.30, 0.3)]])
    chosen, shortlist, relaxed = choose_setting(settings, RULE)
    assert relaxed and chosen["min_cluster_size"] == 10 and (shortlist["outlier_share"] <= 0.35).all()


def test_the_relaxed_shortlist_keeps_the_largest_topic_cap():
    # Nothing is stable enough; the most stable setting has one topic holding 60 % of the titles.
    settings = settings_frame([(10, 0.0, 5, s, 2, 20, 0.1, 0.5, 1.0, a) for s, a in
                               [(5, 0.5), (10, 0.4), (20, 0.3), (40, 0.2)]])
    settings["largest_share"] = [0.6, 0.1, 0.1, 0.1]
    chosen, shortlist, relaxed = choose_setting(settings, RULE)
    assert relaxed and chosen["min_cluster_size"] == 10 and (shortlist["largest_share"] <= 0.2).all()
    settings["largest_share"] = 0.6  # no setting meets the cap: the most stable quarter of all
    chosen, _, relaxed = choose_setting(settings, RULE)
    assert relaxed and chosen["min_cluster_size"] == 5


def test_selection_prefers_quality_within_the_stable_shortlist():
    settings = settings_frame([
        (10, 0.0, 5, 5, 2, 20, 0.10, 0.9, 1.0, 0.30),   # best quality but unstable: not shortlisted
        (10, 0.0, 5, 10, 2, 12, 0.15, 0.2, 0.9, 0.80),
        (30, 0.0, 5, 10, 2, 10, 0.20, 0.4, 0.9, 0.70),  # best shortlisted quality
        (30, 0.0, 5, 20, 2, 4, 0.05, 0.8, 1.0, 0.90),   # too few topics
        (30, 0.0, 5, 20, 5, 8, 0.60, 0.8, 1.0, 0.90),   # too many outliers
    ])
    chosen, shortlist, relaxed = choose_setting(settings, RULE)
    assert not relaxed and len(shortlist) == 2
    assert (chosen["n_neighbors"], chosen["min_cluster_size"]) == (30, 10)


def test_selection_takes_the_shortlisted_setting_whose_categories_separate_best():
    settings = settings_frame([
        (10, 0.0, 5, 5, 2, 20, 0.10, 0.9, 1.0, 0.30),   # unstable: not shortlisted, never replayed
        (10, 0.0, 5, 10, 2, 12, 0.15, 0.2, 0.9, 0.80),  # categories separate best
        (30, 0.0, 5, 10, 2, 10, 0.20, 0.4, 0.9, 0.70),  # best term quality
        (30, 0.0, 5, 20, 2, 12, 0.15, 0.3, 0.9, 0.80),  # too few categories to score (NaN)
    ])
    asked = []

    def separation(setting):
        asked.append((setting["n_neighbors"], setting["min_cluster_size"]))
        return {(10, 10): 0.21, (30, 10): 0.18, (30, 20): float("nan")}[asked[-1]]

    chosen, shortlist, _ = choose_setting(settings, RULE, separation)
    assert (chosen["n_neighbors"], chosen["min_cluster_size"]) == (10, 10)
    assert sorted(asked) == [(10, 10), (30, 10), (30, 20)]
    assert shortlist["category_silhouette"].tolist()[:2] == [0.21, 0.18]  # ranked, NaN last
    # Without the categories' evidence the rule is the term quality one.
    chosen, _, _ = choose_setting(settings, RULE)
    assert (chosen["n_neighbors"], chosen["min_cluster_size"]) == (30, 10)


def test_equal_separation_goes_to_term_quality():
    settings = settings_frame([(10, 0.0, 5, 5, 2, 10, 0.1, 0.2, 0.9, 0.8), (10, 0.0, 5, 10, 2, 10, 0.1, 0.6, 0.9, 0.8)])
    chosen, _, _ = choose_setting(settings, RULE, lambda setting: 0.2)
    assert chosen["min_cluster_size"] == 10


def test_recommendation_scores_each_setting_by_its_most_typical_run():
    settings = settings_frame([(10, 0.0, 5, 10, 2, 12, 0.15, 0.2, 0.9, 0.80), (10, 0.0, 5, 5, 2, 14, 0.15, 0.6, 0.9, 0.80)])
    stability = pd.DataFrame([{**row, "seed_a": a, "seed_b": b, "ari": ari, "ami": ari}
                              for row in settings[["n_neighbors", "min_dist", "n_components", "min_cluster_size",
                                                   "min_samples"]].to_dict("records")
                              for a, b, ari in [(1, 2, 0.9), (1, 3, 0.2), (2, 3, 0.8)]])
    runs = []

    def separation(setting, seed):
        runs.append(seed)
        return 0.3 if setting["min_cluster_size"] == 10 else 0.1

    recommendation = recommend(settings, stability, [1, 2, 3], RULE, separation)
    assert runs == [2, 2]  # seed 2 agrees most with the others
    assert recommendation["cluster"]["min_cluster_size"] == 10 and recommendation["reduce"]["seed"] == 2
    assert "categories separate best (silhouette 0.300" in recommendation["reason"]
    assert [row["category_silhouette"] for row in recommendation["shortlist"]] == [0.3, 0.1]
    json.dumps(recommendation, default=float)


def test_selection_ties_go_to_fewer_outliers_then_grid_order():
    settings = settings_frame([
        (10, 0.0, 5, 5, 2, 10, 0.20, 0.4, 0.9, 0.8),
        (10, 0.0, 5, 10, 2, 10, 0.10, 0.4, 0.9, 0.8),
        (30, 0.0, 5, 10, 2, 10, 0.10, 0.4, 0.9, 0.8),
    ])
    chosen, _, _ = choose_setting(settings, RULE)
    assert (chosen["n_neighbors"], chosen["min_cluster_size"]) == (10, 10)


def test_selection_relaxes_to_the_most_stable_quarter_when_nothing_passes():
    settings = settings_frame([(10, 0.0, 5, s, 2, 3, 0.5, q, 1.0, a) for s, q, a in
                               [(5, 0.9, 0.1), (10, 0.1, 0.5), (20, 0.5, 0.2), (40, 0.7, 0.3)]])
    chosen, shortlist, relaxed = choose_setting(settings, RULE)
    assert relaxed and len(shortlist) == 1 and chosen["min_cluster_size"] == 10


def test_representative_seed_is_the_one_agreeing_most_with_the_others():
    setting = {"n_neighbors": 10, "min_dist": 0.0, "n_components": 5, "min_cluster_size": 5, "min_samples": 2}
    stability = pd.DataFrame([{**setting, "seed_a": a, "seed_b": b, "ari": ari, "ami": ari}
                              for a, b, ari in [(1, 2, 0.9), (1, 3, 0.2), (2, 3, 0.8)]])
    assert representative_seed(stability, setting, [1, 2, 3]) == 2


def test_recommendation_is_json_ready_and_feeds_the_main_model(tmp_path):
    settings = settings_frame([(10, 0.0, 5, 10, 2, 12, 0.15, 0.2, 0.9, 0.80)])
    setting = settings.iloc[0][["n_neighbors", "min_dist", "n_components", "min_cluster_size", "min_samples"]]
    stability = pd.DataFrame([{**setting.to_dict(), "seed_a": 1, "seed_b": 2, "ari": 0.8, "ami": 0.8}])
    recommendation = recommend(settings, stability, [1, 2], RULE)
    path = tmp_path / "recommended.json"
    path.write_text(json.dumps(recommendation, default=float))
    assert "best coherence x diversity" in recommendation["reason"]
    reduce = effective_settings({"n_neighbors": 15, "seed": 42, "metric": "cosine", "map_min_dist": 0.1}, "reduce",
                                str(path))
    assert reduce == {"n_neighbors": 10, "seed": 1, "metric": "cosine", "map_min_dist": 0.1, "min_dist": 0.0,
                      "n_components": 5}
    assert effective_settings({"min_cluster_size": 5}, "cluster", [])["min_cluster_size"] == 5


def test_shared_graph_gives_the_same_umap_as_its_own():
    points, _ = blobs(dim=20, spread=0.5)
    graph = nearest_neighbors(points, 30, "cosine")
    shared = reduce_embeddings(points, n_components=5, n_neighbors=10, min_dist=0.0, metric="cosine", seed=3,
                               neighbors=graph)
    own = reduce_embeddings(points, n_components=5, n_neighbors=10, min_dist=0.0, metric="cosine", seed=3)
    np.testing.assert_array_equal(shared, own)


def test_duplicate_points_still_list_themselves_first():
    points = np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    indices, distances = nearest_neighbors(points, 3, "euclidean")
    assert indices[:, 0].tolist() == [0, 1, 2, 3]
    assert distances[:, 0].tolist() == [0.0] * 4
    # Point 1's neighbors: itself, its duplicate (0) and the nearer of the rest ([1, 1] at 1, not [1, 0] at 1.41).
    assert indices[1].tolist() == [1, 0, 3]
    assert distances[1].tolist() == pytest.approx([0.0, 0.0, 1.0])


def test_auto_params_without_the_sweep_is_a_one_line_config_error():
    config = {"input": "x.csv", "cluster": {"params": "auto"}, "sweep": {"activate": False}}
    with pytest.raises(ConfigError, match="^config key cluster.params: 'auto' needs sweep.activate: true"):
        check_config(config, ROOT / "config" / "schema.yaml")


def test_category_change_share_counts_people_not_titles():
    from jobtopics.sweep.compare import category_change_share

    main = np.array(["Data", "Data", "Health", "Health"], dtype=object)
    weights = np.array([10, 1, 5, 5])
    assert category_change_share(main, np.array([0, 0, 1, 1]), weights) == 0.0  # same partition, other numbers
    # The 1-person title moves into the health topic: 1 of 21 people change.
    assert category_change_share(main, np.array([0, 1, 1, 1]), weights) == pytest.approx(1 / 21)
    # Health titles become outliers: 10 of 21 people become Uncategorized.
    assert category_change_share(main, np.array([0, 0, -1, -1]), weights) == pytest.approx(10 / 21)


def test_the_recommended_umap_space_is_found_among_the_sweep_spaces():
    spaces = [{"n_neighbors": 10, "min_dist": 0.0, "n_components": 5, "seed": 1},
              {"n_neighbors": 15, "min_dist": 0.0, "n_components": 5, "seed": 1},
              {"n_neighbors": 15, "min_dist": 0.0, "n_components": 5, "seed": 2}]
    chosen = {"n_neighbors": 15, "min_dist": 0.0, "n_components": 5, "seed": 2, "metric": "cosine", "map_min_dist": 0.1}
    assert matching_space(spaces, chosen) == 2
    assert matching_space(spaces, {**chosen, "seed": 3}) is None  # a seed the sweep never ran
    assert matching_space([], chosen) is None
