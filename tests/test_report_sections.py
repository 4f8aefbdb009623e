"""Report sections built from pipeline outputs: growth over time, employers, occupations, static map."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

from jobtopics.occupations import SOC_MAJOR_GROUPS, load_occupations, nearest_occupations, occupation_groups
from jobtopics.names import NO_TITLE
from jobtopics.report.build import companies_table, occupations_section
from jobtopics.report.charts import Charts
from jobtopics.report.network import (OTHER_CATEGORIES, category_shares_by_year, connections_per_year,
                                      most_common_spelling, top_companies)
from jobtopics.report.static_map import write_static_map


def people(rows):
    frame = pd.DataFrame(rows, columns=["id", "company", "connected_on", "title", "category", "x", "y"])
    return frame.assign(topic_label=frame["category"])


NETWORK = people([
    ("p1", "Acme", "2020-03-01", "Data Scientist", "Data", 0.0, 0.0),
    ("p2", "ACME ", "2020-05-01", "Data Engineer", "Data", 0.1, 0.0),
    ("p3", "Solo Corp", "2022-01-01", "Data Analyst", "Data", 0.2, 0.1),
    ("p4", "Clinic", "2022-02-01", "Nurse", "Health", 5.0, 5.0),
    ("p5", "Clinic", "", "Doctor", "Health", 5.1, 5.0),
    ("p6", "", "2022-03-01", "", NO_TITLE, 0.0, 0.0),
    ("p7", "Acme", "2022-04-01", "Odd job", "Uncategorized", 2.0, 2.0),
])


def test_connections_per_year_fills_gaps_and_skips_unreadable_dates():
    table = connections_per_year(NETWORK)
    assert table.to_dict("list") == {"year": [2020, 2021, 2022], "connections": [2, 0, 4]}
    assert connections_per_year(NETWORK.assign(connected_on="")).empty


def test_category_shares_by_year_sum_to_one_and_pool_small_categories():
    table = category_shares_by_year(NETWORK, top=1)
    assert set(table["category"]) == {"Data", "Uncategorized", OTHER_CATEGORIES}
    assert table.groupby("year")["share"].sum().round(9).eq(1).all()
    row = table[(table["year"] == 2022) & (table["category"] == "Data")].iloc[0]
    assert (row["people"], row["share"]) == (1, pytest.approx(1 / 3))  # Data, Health, Uncategorized in 2022


def test_top_companies_merge_spellings_and_never_point_at_one_person():
    table = top_companies(NETWORK)
    assert table.to_dict("records") == [{"category": "Data", "company": "Acme", "people": 2},
                                        {"category": "Health", "company": "Clinic", "people": 2}]
    assert "Solo Corp" not in companies_table(NETWORK).to_string()


def test_a_company_is_shown_in_its_most_common_spelling_first_seen_on_ties():
    keys = pd.Series(["acme", "acme", "acme", "beta", "beta"])
    spellings = pd.Series(["ACME", "Acme", "Acme", "beta", "Beta"])
    assert most_common_spelling(keys, spellings).to_dict() == {"acme": "Acme", "beta": "beta"}


def test_companies_with_commas_stay_readable():
    network = people([(f"p{i}", "Smith, Jones and Co", "2020-01-01", "Lawyer", "Legal", 0, 0) for i in range(3)])
    assert companies_table(network).iloc[0, 1] == "Smith, Jones and Co (3)"


def test_onet_occupations_load_from_the_package_with_all_23_groups():
    occupations = load_occupations()
    assert len(occupations) > 1000
    assert set(occupations["major"]) == set(SOC_MAJOR_GROUPS)
    assert occupations["code"].is_monotonic_increasing


def test_nearest_occupation_is_by_cosine_similarity():
    titles = np.array([[1.0, 0.1], [0.0, 2.0]])
    occupations = np.array([[0.0, 1.0], [3.0, 0.0]])
    best, similarity = nearest_occupations(titles, occupations)
    assert best.tolist() == [1, 0] and similarity[1] == pytest.approx(1.0)


def test_occupation_groups_lists_every_group_with_status():
    groups = occupation_groups(np.array([98, 1, 1]), np.array(["15", "29", "15"]), thin_share=0.05)
    assert len(groups) == 23
    status = dict(zip(groups["soc_major"], groups["status"]))
    assert status["15"] == "present" and status["29"] == "thin" and status["47"] == "absent"
    charts = Charts()
    section = occupations_section(groups, None, 0.05, charts)
    assert "reaches 2 of the 23 groups" in section and "CC BY 4.0" in section
    assert list(charts.figures) == ["occupation-groups"] and 'src="charts/occupation-groups.js"' in section


def test_static_map_is_a_reproducible_png_even_with_hostile_labels(tmp_path):
    hostile = NETWORK.assign(category=NETWORK["category"].replace({"Data": "$\\frac{a}{"}), title="<b>x</b>")
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    write_static_map(hostile, first, "My $network_")
    write_static_map(hostile, second, "My $network_")
    assert first.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()
    from PIL import Image

    assert Image.open(first).size == (1200, 630)


def test_static_map_names_the_categories_on_the_map(monkeypatch, tmp_path):
    import matplotlib.axes

    drawn = []
    original = matplotlib.axes.Axes.text
    monkeypatch.setattr(matplotlib.axes.Axes, "text",
                        lambda self, x, y, s, *args, **kwargs: drawn.append(s) or original(self, x, y, s, *args,
                                                                                              **kwargs))
    write_static_map(NETWORK, tmp_path / "map.png", "Title")
    assert sorted(drawn) == ["Data", "Health"]  # no legend; Uncategorized unnamed


def _post(tmp_path):
    from jobtopics.report.render import raw_html

    post = tmp_path / "post"
    (post / "figures").mkdir(parents=True)
    (post / "figures" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (post / "charts").mkdir()
    (post / "charts" / "probe.js").write_text('document.getElementById("probe").dataset.drawn = "yes";')
    source = post / "index.qmd"
    source.write_text('---\ntitle: "T"\nimage: figures/map.png\n---\n\nHello **world**.\n\n'
                      + raw_html('<div id="probe">&lt;script&gt;alert(1)&lt;/script&gt;</div>'
                                 '<script src="charts/probe.js"></script>') + "\n",
                      encoding="utf-8")
    return source


def _check_rendered(html_text):
    assert 'id="probe"' in html_text and "<strong>world</strong>" in html_text
    # The chart file of the bundle is inlined: the page needs no file next to it.
    assert 'dataset.drawn = "yes"' in html_text and 'src="charts/probe.js"' not in html_text
    assert "<script>alert(1)</script>" not in html_text


def test_pandoc_path_renders_a_self_contained_page(tmp_path, monkeypatch):
    from jobtopics.report import render

    monkeypatch.setattr(render.shutil, "which", lambda name: None)  # as on a machine without Quarto
    output = tmp_path / "out.html"
    assert render.render_html(_post(tmp_path), output) == "pandoc"
    _check_rendered(output.read_text(encoding="utf-8"))


def test_quarto_path_renders_the_same_source(tmp_path):
    import shutil

    from jobtopics.report import render

    if shutil.which("quarto") is None:
        pytest.skip("quarto is not installed (it cannot be installed on the CI machine)")
    output = tmp_path / "out.html"
    assert render.render_html(_post(tmp_path), output) == "quarto"
    _check_rendered(output.read_text(encoding="utf-8"))
