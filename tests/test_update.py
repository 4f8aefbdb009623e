"""Reruns after the export changed: which fitted map is reused, and where new titles land on it."""

import json

import numpy as np
import pandas as pd
import pytest

from jobtopics.fits import (ExistingFit, choose_fit, existing_fits, fit_id, set_aside_stale_fit, vector_fingerprint,
                            vectors_unchanged, write_fit_inputs)
from jobtopics.place import place_titles, weak_placements
from jobtopics.report.build import current_category_counts
from jobtopics.report.methods import methods_section, placement_sentence

FINGERPRINT = {"embed_model": "m", "embed_text": "title", "enrich": "none", "llm_model": ""}


def keys(n, prefix="t"):
    return [f"{prefix}{i}" for i in range(n)]


def test_fit_id_ignores_order_and_duplicates_but_not_titles_or_settings():
    assert fit_id(["a", "b"], FINGERPRINT) == fit_id(["b", "a", "a"], FINGERPRINT)
    assert fit_id(["a", "b"], FINGERPRINT) != fit_id(["a", "c"], FINGERPRINT)
    assert fit_id(["a", "b"], FINGERPRINT) != fit_id(["a", "b"], {**FINGERPRINT, "embed_text": "description"})
    assert len(fit_id([], FINGERPRINT)) == 12


def test_first_run_fits_on_the_current_titles():
    choice = choose_fit(keys(100), FINGERPRINT, [], refit_share=0.05)
    assert choice.refit and choice.fit == fit_id(keys(100), FINGERPRINT)
    assert (choice.titles_in_fit, choice.new_titles) == (100, 100)


def test_few_new_titles_reuse_the_fitted_map_many_refit():
    fitted = ExistingFit("aaaaaaaaaaaa", FINGERPRINT, frozenset(keys(100)))
    few = choose_fit(keys(100) + ["new1", "new2"], FINGERPRINT, [fitted], refit_share=0.05)
    assert (few.fit, few.refit, few.new_titles, few.gone_titles) == ("aaaaaaaaaaaa", False, 2, 0)
    # 4 new + 3 gone out of 101 current titles = 6.9% > 5%
    many = choose_fit(keys(97) + ["n1", "n2", "n3", "n4"], FINGERPRINT, [fitted], refit_share=0.05)
    assert many.refit and many.fit == fit_id(keys(97) + ["n1", "n2", "n3", "n4"], FINGERPRINT)
    assert (many.new_titles, many.gone_titles) == (4, 3)


def test_refit_share_zero_refits_on_any_change_but_not_on_none():
    fitted = ExistingFit("aaaaaaaaaaaa", FINGERPRINT, frozenset(keys(100)))
    assert choose_fit(keys(100) + ["new"], FINGERPRINT, [fitted], refit_share=0).refit
    same = choose_fit(keys(100), FINGERPRINT, [fitted], refit_share=0)
    assert not same.refit and same.fit == "aaaaaaaaaaaa"


def test_a_map_fitted_on_no_titles_is_never_reused():
    empty = ExistingFit("aaaaaaaaaaaa", FINGERPRINT, frozenset())
    assert choose_fit(["t0"], FINGERPRINT, [empty], refit_share=1.0).refit


def test_a_map_fitted_with_other_vector_settings_is_never_reused():
    other = ExistingFit("bbbbbbbbbbbb", {**FINGERPRINT, "embed_model": "other"}, frozenset(keys(100)))
    assert choose_fit(keys(100), FINGERPRINT, [other], refit_share=0.5).refit


def test_the_closest_fit_wins_and_ties_go_to_the_lowest_id():
    near = ExistingFit("cccccccccccc", FINGERPRINT, frozenset(keys(99)))
    far = ExistingFit("111111111111", FINGERPRINT, frozenset(keys(95)))
    twin = ExistingFit("bbbbbbbbbbbb", FINGERPRINT, frozenset(keys(99)))
    assert choose_fit(keys(100), FINGERPRINT, [near, far, twin], refit_share=0.1).fit == "bbbbbbbbbbbb"


def test_written_fits_are_found_again_and_a_folder_without_fit_json_is_not_one(tmp_path):
    titles = pd.DataFrame({"title_key": keys(3), "title": keys(3), "n_people": [1, 1, 1]})
    descriptions = pd.DataFrame({"title_key": keys(3), "description": ["", "", ""]})
    choice = choose_fit(titles["title_key"], FINGERPRINT, [], 0.05)
    write_fit_inputs(tmp_path / choice.fit, FINGERPRINT, titles, descriptions, np.eye(3, dtype=np.float32),
                     np.eye(3, dtype=np.float32))
    (tmp_path / "fffffffffff0").mkdir()  # a killed write: no fit.json yet
    (tmp_path / "fffffffffff0" / "titles.parquet").write_bytes((tmp_path / choice.fit / "titles.parquet").read_bytes())
    found = existing_fits(tmp_path)
    assert [(f.fit, f.fingerprint, f.title_keys) for f in found] == [(choice.fit, FINGERPRINT, frozenset(keys(3)))]
    assert json.loads((tmp_path / choice.fit / "fit.json").read_text())["titles"] == 3


def test_a_reused_map_names_the_map_the_current_titles_would_have():
    fitted = ExistingFit("aaaaaaaaaaaa", FINGERPRINT, frozenset(keys(100)))
    choice = choose_fit(keys(101), FINGERPRINT, [fitted], 0.05)
    assert not choice.refit and choice.fit == "aaaaaaaaaaaa"
    assert choice.own_fit == fit_id(keys(101), FINGERPRINT)


def two_groups():
    """Fitted titles in two well separated directions, drawn at two map positions."""
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0.95, 0, 0.05], [0, 1, 0], [0.1, 0.9, 0], [0, 0.95, 0.05]],
                       dtype=np.float32)
    points = np.array([[0, 0], [0.2, 0], [0, 0.2], [10, 10], [10.2, 10], [10, 10.2]], dtype=np.float32)
    topics = np.array([0, 0, -1, 1, 1, 1])
    return pd.Series(keys(6, "f")), vectors, points, topics


def test_fitted_titles_keep_their_point_and_topic_new_ones_join_their_neighbors():
    fitted_keys, vectors, points, topics = two_groups()
    current = pd.Series(["f4", "new-a", "f0", "new-b"])
    current_vectors = np.array([vectors[4], [0.97, 0.03, 0], vectors[0], [0.02, 0.98, 0]], dtype=np.float32)
    placed = place_titles(current, current_vectors, fitted_keys, vectors, points, topics, neighbors=3)
    assert placed["title_key"].tolist() == current.tolist()
    assert placed["placed"].tolist() == [False, True, False, True]
    np.testing.assert_array_equal(placed.loc[[0, 2], ["x", "y"]].to_numpy(), points[[4, 0]])
    assert placed["topic"].tolist() == [1, 0, 0, 1]
    assert np.all(placed.loc[1, ["x", "y"]].to_numpy() < 1) and np.all(placed.loc[3, ["x", "y"]].to_numpy() > 9)
    assert placed.loc[1, "neighbor_similarity"] > 0.9


def test_a_new_title_among_uncategorized_neighbors_is_uncategorized():
    fitted_keys, vectors, points, topics = two_groups()
    topics = np.array([-1, -1, -1, 1, 1, 1])
    placed = place_titles(pd.Series(["new"]), np.array([[1, 0, 0.01]]), fitted_keys, vectors, points, topics, 3)
    assert placed["topic"].tolist() == [-1]


def test_placement_does_not_depend_on_the_row_order_of_new_titles():
    fitted_keys, vectors, points, topics = two_groups()
    rng = np.random.default_rng(0)
    new_vectors = rng.normal(size=(40, 3)).astype(np.float32)
    new_keys = pd.Series(keys(40, "n"))
    forward = place_titles(new_keys, new_vectors, fitted_keys, vectors, points, topics, 4)
    order = rng.permutation(40)
    shuffled = place_titles(new_keys[order], new_vectors[order], fitted_keys, vectors, points, topics, 4)
    pd.testing.assert_frame_equal(shuffled.set_index("title_key").loc[forward["title_key"]].reset_index(), forward)


@pytest.mark.parametrize("neighbors", [1, 100])
def test_neighbor_count_is_capped_by_the_fitted_titles(neighbors):
    fitted_keys, vectors, points, topics = two_groups()
    placed = place_titles(pd.Series(["new"]), vectors[3:4] * 2, fitted_keys, vectors, points, topics, neighbors)
    assert placed["topic"].tolist() == [1]
    if neighbors == 1:  # the nearest fitted title itself
        assert placed.loc[0, ["x", "y"]].tolist() == [10, 10]


def test_new_titles_unlike_the_fitted_ones_are_flagged_weak_and_counted_with_their_people():
    fitted_keys, vectors, points, topics = two_groups()
    current = pd.Series(["f0", "near", "far", "between"])
    # near: cosine > 0.9 to group 0; far: nearly orthogonal to both groups; between: mean cosine ~0.51
    current_vectors = np.array([vectors[0], [0.97, 0.03, 0], [0, 0, 1], [0.5, 0, 0.866]], dtype=np.float32)
    placed = place_titles(current, current_vectors, fitted_keys, vectors, points, topics, neighbors=3,
                          weak_similarity=0.45)
    assert placed["weak"].tolist() == [False, False, True, False]
    assert placed.loc[3, "neighbor_similarity"] == pytest.approx(0.51, abs=0.01)
    assert weak_placements(placed, [4, 1, 5, 2]) == {"new_titles": 3, "new_people": 8, "weak_titles": 1,
                                                      "weak_people": 5}
    stricter = place_titles(current, current_vectors, fitted_keys, vectors, points, topics, 3, weak_similarity=0.6)
    assert stricter["weak"].tolist() == [False, False, True, True]
    assert weak_placements(stricter, [4, 1, 5, 2])["weak_people"] == 7
    # A fitted title never counts, whatever the threshold.
    assert not place_titles(pd.Series(["f1"]), vectors[1:2], fitted_keys, vectors, points, topics, 3, 1.0)["weak"][0]


@pytest.mark.reliability("bad input", "new titles with zero or opposite vectors: placed, flagged weak, counted")
def test_new_titles_with_zero_or_opposite_vectors_are_placed_and_flagged_weak():
    fitted_keys, vectors, points, topics = two_groups()
    current = pd.Series(["zero", "opposite"])
    placed = place_titles(current, np.array([[0, 0, 0], [-1, -1, -1]], dtype=np.float32), fitted_keys, vectors,
                          points, topics, neighbors=3)
    assert placed["placed"].all() and placed["weak"].all()
    assert np.isfinite(placed[["x", "y", "neighbor_similarity"]].to_numpy()).all()
    assert set(placed["topic"]) <= set(topics)
    assert weak_placements(placed, [1, 2]) == {"new_titles": 2, "new_people": 3, "weak_titles": 2, "weak_people": 3}
    # No fitted title at all: every title is new and weak.
    empty = place_titles(current, np.ones((2, 3)), pd.Series([], dtype=object), np.zeros((0, 3)), np.zeros((0, 2)),
                         np.zeros(0, dtype=np.int64), 3)
    assert empty["weak"].tolist() == [True, True] and empty["topic"].tolist() == [-1, -1]


def test_the_report_counts_weakly_placed_titles_and_people_in_the_methods_section():
    settings = {"neighbors": 10, "weak_placement_similarity": 0.5}
    counts = {"new_titles": 40, "new_people": 52, "weak_titles": 12, "weak_people": 15}
    assert placement_sentence({**settings, **counts}) == (
        "12 of the 40 new titles, held by 15 of their 52 people, fit the map weakly (mean similarity to the 10 "
        "nearest fitted titles below 0.5, update.weak_placement_similarity): refit with update.refit_share: 0 so "
        "that they can form topics of their own.")
    assert placement_sentence({**settings, **counts, "weak_titles": 0, "weak_people": 0}).startswith(
        "None of the 40 new titles fits the map weakly")
    assert placement_sentence({**settings, **counts, "weak_titles": 40, "weak_people": 52}).startswith(
        "All 40 new titles, held by 52 people, fit the map weakly")
    assert placement_sentence({**settings, "new_titles": 2, "new_people": 2, "weak_titles": 2,
                               "weak_people": 2}).startswith("Both new titles, held by 2 people, fit the map weakly")
    assert placement_sentence({**settings, "new_titles": 1, "new_people": 1, "weak_titles": 1,
                               "weak_people": 1}).startswith("The one new title, held by 1 person, fits the map weakly")
    assert placement_sentence({**settings, "new_titles": 0, "new_people": 0, "weak_titles": 0,
                               "weak_people": 0}) == ""
    fit = {"fit": "abc", "refit": False, "titles_in_fit": 300, "titles_now": 340, "new_titles": 40,
           "gone_titles": 0, "reason": "new titles placed onto the fitted map"}
    provenance = {"fit": fit, "placement": {**settings, **counts}, "parameters": {}, "llm": {}, "versions": {},
                  "input": {}}
    section = methods_section(provenance)
    assert '<p id="placement">12 of the 40 new titles, held by 15 of their 52 people, fit the map weakly' in section
    assert 'id="placement"' not in methods_section({**provenance, "placement": None})


def test_category_counts_follow_the_current_assignments():
    categories = pd.DataFrame({"category": ["Engineering", "Sales", "Gone"], "n_titles": [2, 1, 1],
                               "n_people": [3, 1, 2], "terms": [[], [], []],
                               "examples": [["dev", "left the network"], ["seller"], ["gone"]]})
    assignments = pd.DataFrame({"category": ["Sales", "Sales", "Sales", "Engineering", "No job title"],
                                "title": ["seller", "seller", "account exec", "dev", None]})
    counted = current_category_counts(categories, assignments)
    assert counted[["category", "n_people", "n_titles"]].values.tolist() == [["Sales", 3, 2], ["Engineering", 1, 1]]
    assert counted["examples"].tolist() == [["seller"], ["dev"]]  # nobody holds "left the network" any more
    # A title placed into a category later (outliers step, update) that more people hold comes first.
    assignments.loc[len(assignments)] = {"category": "Engineering", "title": "placed dev"}
    assignments.loc[len(assignments)] = {"category": "Engineering", "title": "placed dev"}
    recounted = current_category_counts(categories, assignments).set_index("category")["examples"]
    assert recounted.to_dict() == {"Engineering": ["placed dev", "dev"], "Sales": ["seller"]}


def test_equal_similarities_and_equal_votes_are_broken_the_same_way_every_time():
    # Four fitted titles with the same vector: which 2 are the neighbors, and which topic wins, must not vary.
    fitted_keys = pd.Series(["a", "b", "c", "d"])
    vectors = np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (4, 1))
    points = np.array([[0, 0], [2, 0], [4, 0], [6, 0]], dtype=np.float32)
    topics = np.array([3, 1, 1, 3])
    placed = place_titles(pd.Series(["new"]), np.array([[1.0, 0.0]]), fitted_keys, vectors, points, topics, 2)
    # neighbors a and b (lowest rows); votes 3 vs 1 tie; a is nearest-ranked, so topic 3
    assert placed.loc[0, ["x", "y"]].tolist() == [1, 0] and placed.loc[0, "topic"] == 3


def test_vectors_unchanged_compares_the_shared_titles_only(tmp_path):
    titles = pd.DataFrame({"title_key": ["a", "b"], "title": ["a", "b"], "n_people": [1, 1]})
    vectors = np.array([[1, 0], [0, 1]], dtype=np.float32)
    choice = choose_fit(titles["title_key"], FINGERPRINT, [], 0.05)
    folder = tmp_path / choice.fit
    write_fit_inputs(folder, FINGERPRINT, titles, titles[["title_key"]], vectors, vectors)
    now = pd.Series(["b", "new"])
    assert vectors_unchanged(folder, now, np.array([[0, 1], [5, 5]], dtype=np.float32))
    assert not vectors_unchanged(folder, now, np.array([[0, 0.9], [5, 5]], dtype=np.float32))
    assert vectors_unchanged(folder, pd.Series(["new"]), np.array([[5, 5]], dtype=np.float32))
    # A local-language title may borrow a little differently from new English titles: only comparable rows count.
    assert vectors_unchanged(folder, now, np.array([[0, 0.9], [5, 5]], dtype=np.float32), np.array([False, True]))


def test_a_title_now_spelled_as_more_of_its_people_spell_it_is_no_vector_change(tmp_path):
    titles = pd.DataFrame({"title_key": ["data engineer"], "title": ["Data engineer"], "n_people": [2]})
    folder = tmp_path / choose_fit(titles["title_key"], FINGERPRINT, [], 0.05).fit
    write_fit_inputs(folder, FINGERPRINT, titles, titles[["title_key"]], np.array([[1.0, 0.0]]), np.ones((1, 2)))
    respelled = np.array([[0.97, 0.03]])  # "Data Engineer" (now 3 people) embeds a little differently
    assert not vectors_unchanged(folder, titles["title_key"], respelled)
    assert vectors_unchanged(folder, titles["title_key"], respelled, spellings=pd.Series(["Data Engineer"]))
    # The same text with another vector is a change.
    assert not vectors_unchanged(folder, titles["title_key"], respelled, spellings=pd.Series(["Data engineer"]))


def test_changed_vectors_force_a_refit_even_with_the_same_titles(tmp_path):
    own = fit_id(keys(10), FINGERPRINT)
    fitted = ExistingFit(own, FINGERPRINT, frozenset(keys(10)))
    choice = choose_fit(keys(10), FINGERPRINT, [fitted], 0.05, vectors_unchanged=lambda fit: False)
    assert choice.refit and "other vectors" in choice.reason and choice.fit == own and choice.stale
    # The refit's id is the stale map's: the stale folder (and its logs) is kept under another name.
    titles = pd.DataFrame({"title_key": keys(10), "title": keys(10), "n_people": 1})
    write_fit_inputs(tmp_path / "fit" / own, FINGERPRINT, titles, titles[["title_key"]], np.ones((10, 2)),
                     np.ones((10, 2)))
    (tmp_path / "logs" / own).mkdir(parents=True)
    assert set_aside_stale_fit(tmp_path / "fit", own, tmp_path / "logs") == tmp_path / "fit" / f"{own}-stale-1"
    assert (tmp_path / "logs" / f"{own}-stale-1").is_dir() and existing_fits(tmp_path / "fit") == []
    assert set_aside_stale_fit(tmp_path / "fit", own) is None  # nothing left to move
    # Other refits leave every folder where it is: another map's vectors changed, too many titles changed, or a
    # map of no titles (never reused).
    other = ExistingFit("aaaaaaaaaaaa", FINGERPRINT, frozenset(keys(10)))
    assert not choose_fit(keys(10), FINGERPRINT, [other], 0.05, vectors_unchanged=lambda fit: False).stale
    assert not choose_fit(keys(10) + keys(5, "n"), FINGERPRINT, [fitted], 0.05).stale
    assert not choose_fit([], FINGERPRINT, [ExistingFit(fit_id([], FINGERPRINT), FINGERPRINT, frozenset())], 0.05).stale


def test_the_llm_settings_that_decide_descriptions_are_part_of_the_vectors_fingerprint():
    embed = {"model": "m", "local_language": "pivot", "text": "role_and_description"}
    llm = {"model": "gpt", "temperature": 0.0, "seed": 42, "max_tokens": 120, "base_url": "http://a", "timeout_s": 60}
    offline = vector_fingerprint(embed, "none", llm)
    assert offline == vector_fingerprint(embed, "none", {**llm, "temperature": 0.7})  # no LLM, no change
    assert "llm_generation" not in offline  # maps fitted offline keep their ids
    described = vector_fingerprint(embed, "llm", llm)
    for change in ({"temperature": 0.7}, {"seed": 1}, {"max_tokens": 60}, {"model": "other"}):
        assert fit_id(["a"], described) != fit_id(["a"], vector_fingerprint(embed, "llm", {**llm, **change}))
    # Another address for the same model answers from the same cache: the same map.
    assert described == vector_fingerprint(embed, "llm", {**llm, "base_url": "http://b", "timeout_s": 5})
    # Without an address the embedded model answers, whatever llm.model names: the same map.
    embedded = vector_fingerprint(embed, "llm", {**llm, "base_url": ""})
    assert embedded == vector_fingerprint(embed, "llm", {**llm, "base_url": "", "model": "other"}) != described


def test_foreign_folders_are_never_taken_for_fits(tmp_path):
    titles = pd.DataFrame({"title_key": ["a"], "title": ["a"], "n_people": [1]})
    choice = choose_fit(titles["title_key"], FINGERPRINT, [], 0.05)
    folder = tmp_path / choice.fit
    write_fit_inputs(folder, FINGERPRINT, titles, titles[["title_key"]], np.ones((1, 2)), np.ones((1, 2)))
    copy = tmp_path / "my-backup"  # a user's copy
    copy.mkdir()
    for file in folder.iterdir():
        (copy / file.name).write_bytes(file.read_bytes())
    (tmp_path / "bbbbbbbbbbbb").mkdir()
    (tmp_path / "bbbbbbbbbbbb" / "fit.json").write_text("{not json")  # unreadable: skipped, not a crash
    assert [fit.fit for fit in existing_fits(tmp_path)] == [choice.fit]
    (folder / "embeddings.npy").unlink()  # deleted by hand: no longer a map to reuse
    assert existing_fits(tmp_path) == []
