import numpy as np
import pandas as pd

from jobtopics.names import NO_TITLE, UNCATEGORIZED
from jobtopics.report.data_map import network_map
from jobtopics.report.facts import mark_joined, narrative, report_facts
from jobtopics.report.palette import UNCATEGORIZED_COLOR
from jobtopics.report.render import html_table, raw_html

XSS = "<script>alert(1)</script>"


def assignments():
    return pd.DataFrame({
        "id": ["p1", "p2", "p3", "p4"],
        "title": ["Nurse", XSS, "Nurse", None],
        "topic_label": ["Nursing", UNCATEGORIZED, "Nursing", NO_TITLE],
        "category": ["Healthcare", UNCATEGORIZED, "Healthcare", NO_TITLE],
        "x": [0.0, 1.0, 0.5, None],
        "y": [0.0, 1.0, 0.5, None],
    })


def test_facts_and_narrative_come_from_the_numbers():
    facts = report_facts(assignments(), n_unique_titles=2)
    assert (facts.contacts, facts.with_title, facts.categories) == (4, 3, 1)
    assert abs(facts.uncategorized_share - 1 / 3) < 1e-9
    text = narrative(facts)
    assert "Of 4 contacts, 3 list a job title" in text and "Healthcare (67%)" in text
    assert "joined" not in text  # without the outliers step nothing joined


def test_the_narrative_states_the_share_that_joined_a_category():
    titles = pd.DataFrame({"title_key": ["nurse", "x"], "title": ["Nurse", XSS]})
    fit_labels = pd.DataFrame({"title_key": ["nurse", "x"], "topic": [0, -1], "reassigned": [True, False]})
    marked = mark_joined(assignments(), fit_labels, titles)
    assert marked["joined"].tolist() == [True, False, True, False]
    text = narrative(report_facts(marked, n_unique_titles=2))
    assert "Another 67% fitted no topic at first and joined the category most similar" in text
    assert not mark_joined(assignments(), fit_labels.drop(columns="reassigned"), titles)["joined"].any()
    assert "moved" not in text


def test_the_narrative_states_the_share_moved_title_by_title():
    titles = pd.DataFrame({"title_key": ["nurse", "x"], "title": ["Nurse", XSS]})
    fit_labels = pd.DataFrame({"title_key": ["nurse", "x"], "topic": [0, -1], "moved": [True, float("nan")]})
    marked = mark_joined(assignments(), fit_labels, titles)
    assert marked["moved"].tolist() == [True, False, True, False] and not marked["joined"].any()
    text = narrative(report_facts(marked, n_unique_titles=2))
    assert "67% hold a title that sat closer to another category than to the one its topic joined" in text


def test_titles_of_a_rank_held_topic_that_joined_a_category_are_told_apart_from_grey_ones():
    titles = pd.DataFrame({"title_key": ["nurse", "x"], "title": ["Nurse", XSS]})
    fit_labels = pd.DataFrame({"title_key": ["nurse", "x"], "topic": [0, -1], "reassigned": [True, False],
                               "dissolved": [True, False]})
    marked = mark_joined(assignments(), fit_labels, titles)
    assert marked["regrouped"].tolist() == [True, False, True, False] and not marked["joined"].any()
    text = narrative(report_facts(marked, n_unique_titles=2))
    assert "67% were first grouped only by a rank word their titles share" in text
    assert "fitted no topic at first" not in text


def test_the_narrative_names_the_categories_grey_titles_made_of_their_own():
    titles = pd.DataFrame({"title_key": ["nurse", "x"], "title": ["Nurse", XSS]})
    fit_labels = pd.DataFrame({"title_key": ["nurse", "x"], "topic": [7, -1], "reassigned": [False, False],
                               "dissolved": [False, False], "grey_group": [True, False]})
    marked = mark_joined(assignments(), fit_labels, titles)
    assert marked["grey_group"].tolist() == [True, False, True, False]
    facts = report_facts(marked, n_unique_titles=2)
    assert facts.grey_group_categories == ("Healthcare",)
    text = narrative(facts)
    assert "67% were left out of every topic at first but are more like one another than like any category, and " \
           "make categories of their own: Healthcare." in text
    assert "joined" not in text and "rank word" not in text
    assert "categories of their own" not in narrative(report_facts(mark_joined(
        assignments(), fit_labels.drop(columns="grey_group"), titles), n_unique_titles=2))


def test_map_has_uncategorized_first_in_grey_and_escaped_titles():
    figure = network_map(assignments())
    assert figure.data[0].name.startswith(UNCATEGORIZED)
    assert figure.data[0].marker.color == UNCATEGORIZED_COLOR
    assert sum(len(trace.x) for trace in figure.data) == 3
    assert XSS not in figure.to_json()
    assert "&lt;script&gt;" in figure.data[0].text[0]


def test_tables_escape_cells():
    table = html_table(pd.DataFrame({"Title": [XSS], "Terms": [["a", "<b>"]]}))
    assert XSS not in table and "&lt;script&gt;" in table and "&lt;b&gt;" in table


def test_raw_html_fence_cannot_be_closed_by_content():
    block = raw_html("text with ``` inside")
    assert block.startswith("````{=html}") and block.endswith("````")


def test_the_category_table_lists_each_categorys_topics_largest_first():
    from jobtopics.report.build import MAX_TOPICS_SHOWN, category_table, topics_by_category

    people = pd.DataFrame({
        "category": ["Engineers"] * 3 + ["Healthcare", UNCATEGORIZED, NO_TITLE],
        "topic_label": ["Data Engineers", "Mechanical Engineers", "Mechanical Engineers", XSS, UNCATEGORIZED,
                        NO_TITLE],
    })
    topics = topics_by_category(people)
    assert topics == {"Engineers": "Mechanical Engineers (2); Data Engineers (1)", "Healthcare": f"{XSS} (1)"}
    categories = pd.DataFrame({"category": ["Engineers", "Healthcare"], "n_people": [3, 1], "n_titles": [2, 1],
                               "terms": [["data"], ["care"]], "examples": [["Data Engineer"], [XSS]]})
    table = html_table(category_table(categories, topics))
    assert "Mechanical Engineers (2); Data Engineers (1)" in table
    assert XSS not in table and "&lt;script&gt;alert(1)&lt;/script&gt; (1)" in table
    with_commas = categories.assign(examples=[["Business Analyst, Machine Learning", "Marketing Analyst"], [XSS]])
    assert "<td>Business Analyst, Machine Learning; Marketing Analyst</td>" in html_table(category_table(with_commas))
    many = pd.DataFrame({"category": ["Big"] * 8, "topic_label": [f"Topic {n}" for n in range(8)]})
    assert topics_by_category(many)["Big"].endswith(f"; {8 - MAX_TOPICS_SHOWN} more")


def test_small_shares_read_as_under_one_percent():
    from jobtopics.report.facts import percent

    assert (percent(0.001), percent(0.0), percent(0.07), percent(0.996), percent(1.0)) == (
        "<1%", "0%", "7%", ">99%", "100%")
    one_in_300 = pd.DataFrame({"title": ["Nurse"] * 299 + ["?"], "topic_label": ["Nursing"] * 299 + [UNCATEGORIZED],
                               "category": ["Healthcare"] * 299 + [UNCATEGORIZED]})
    assert "<1% could not be placed confidently" in narrative(report_facts(one_in_300, n_unique_titles=2))


def test_a_package_only_in_another_steps_conda_env_shows_that_envs_pin(tmp_path, monkeypatch):
    from jobtopics.report import build

    (tmp_path / "embed.yaml").write_text("dependencies:\n  - pytorch=2.13.0  # CPU build\n  - pip\n  - pip:\n"
                                         "      - no-such-package-xyz==0.1.0\n", encoding="utf-8")
    monkeypatch.setattr(build, "PROVENANCE_PACKAGES", ["no-such-package-xyz", "another-missing-package", "numpy"])
    versions = build.package_versions(tmp_path)
    assert versions["no-such-package-xyz"] == f"0.1.0 ({tmp_path.name}/embed.yaml)"
    assert versions["another-missing-package"] == "not installed"
    assert versions["numpy"] == np.__version__  # installed here: the report's own environment wins
    assert build.pinned_version("torch", tmp_path) == f"2.13.0 ({tmp_path.name}/embed.yaml)"


def test_the_largest_fields_are_called_most_only_when_they_hold_more_than_half():
    spread = pd.DataFrame({"title": [f"t{n}" for n in range(10)], "topic_label": ["x"] * 10,
                           "category": ["A", "A", "B", "B", "C", "D", "E", "F", "G", "H"]})
    assert "Their largest fields are A (20%), B (20%) and C (10%)." in narrative(report_facts(spread, 10))
    spread["category"] = ["A", "A", "A", "B", "B", "C", "D", "E", "F", "G"]
    assert "Most of them work in A (30%), B (20%) and C (10%)." in narrative(report_facts(spread, 10))
    # More than half, but the shares shown add up to 49%: not "most".
    spread = pd.DataFrame({"title": [f"t{n}" for n in range(1000)], "topic_label": ["x"] * 1000,
                           "category": ["A"] * 334 + ["B"] * 84 + ["C"] * 84 + [f"D{n}" for n in range(498)]})
    assert "Their largest fields are A (33%), B (8%) and C (8%)." in narrative(report_facts(spread, 1000))


def test_the_largest_fields_shares_read_as_under_one_and_over_99_percent():
    lopsided = pd.DataFrame({"title": [f"t{n}" for n in range(1000)], "topic_label": ["x"] * 1000,
                             "category": ["A"] * 997 + ["B"] * 2 + ["C"]})
    assert "Most of them work in A (>99%), B (<1%) and C (<1%)." in narrative(report_facts(lopsided, 1000))


def test_one_of_each_is_written_in_the_singular():
    one = pd.DataFrame({"title": ["Nurse"], "topic_label": ["Nursing"], "category": ["Healthcare"]})
    text = narrative(report_facts(one, n_unique_titles=1))
    assert text.startswith("Of 1 contact, 1 lists a job title (1 distinct title after cleaning).")
    assert "fall into 1 broad category;" in text


def test_provenance_names_python_and_the_jobtopics_commit(tmp_path):
    import platform
    from pathlib import Path

    from jobtopics import __version__
    from jobtopics.report.build import jobtopics_version, package_versions

    root = Path(__file__).resolve().parents[1]
    versions = package_versions(root / "envs")
    assert versions["python"] == platform.python_version()
    if (root / ".git").exists():  # a clone, as CI runs it
        assert versions["jobtopics"].startswith(f"{__version__} (git ")
    assert jobtopics_version(tmp_path) == __version__  # not a git checkout: the version alone
