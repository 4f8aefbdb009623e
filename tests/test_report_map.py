"""The map worth publishing: names placed without overlaps at two levels, distinct CVD-safe colours, search keys,
escaped hover; the charts as bundle files with one shared plotly.js; the tidy Methods tables."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jobtopics.names import NO_TITLE, UNCATEGORIZED
from jobtopics.report.charts import (CARTESIAN_TRACE_TYPES, Charts, chart_script, map_page_html, plotly_source,
                                     write_chart_files)
from jobtopics.report.colour_difference import ciede2000, hex_to_rgb, pairwise_ciede2000, simulate_deuteranopia
from jobtopics.report.data_map import LEVEL_BUTTONS, SEARCH_KEY_COLUMN, network_map
from jobtopics.report.label_layout import Viewport, label_anchors, place_labels
from jobtopics.report.methods import (llm_usage_table, methods_section, naming_audit_section, readable,
                                     settings_table)
from jobtopics.report.palette import UNCATEGORIZED_COLOR, category_colors, distinct_palette

ROOT = Path(__file__).resolve().parents[1]
XSS = "<script>alert(1)</script>"


def network(n_per_topic: int = 12, seed: int = 0) -> pd.DataFrame:
    """Six topics in three categories, each a blob of points, plus scattered Uncategorized and one no-title row."""
    rng = np.random.default_rng(seed)
    topics = [("Data Science", "Data", (0, 0)), ("Data Engineering", "Data", (1.5, 0)),
              ("Nursing", "Health", (8, 8)), ("Medicine", "Health", (9, 6.5)),
              ("Software", XSS, (0, 8)), ("Web Development", XSS, (1, 9.5))]
    rows = []
    for topic, category, (cx, cy) in topics:
        for i in range(n_per_topic):
            rows.append({"id": f"{topic}{i}", "title": f"{topic} title {i % 3}", "topic_label": topic,
                         "category": category, "x": cx + rng.normal(0, 0.4), "y": cy + rng.normal(0, 0.4)})
    for i in range(5):
        rows.append({"id": f"u{i}", "title": f"Odd job {i}", "topic_label": UNCATEGORIZED, "category": UNCATEGORIZED,
                     "x": rng.uniform(0, 9), "y": rng.uniform(0, 9)})
    rows.append({"id": "none", "title": None, "topic_label": NO_TITLE, "category": NO_TITLE, "x": None, "y": None})
    return pd.DataFrame(rows)


def boxes_overlap(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


# --- label placement ---------------------------------------------------------------------------------------------

def test_labels_piled_on_one_spot_are_spread_without_overlaps_inside_the_plot():
    anchors = pd.DataFrame({"name": [f"Category number {i}" for i in range(25)], "x": 5.0, "y": 5.0,
                            "size": range(25, 0, -1)})
    viewport = Viewport((0.0, 10.0), (0.0, 10.0), 700, 560)
    placed = place_labels(anchors, anchors["name"].tolist(), viewport, 13)
    assert placed["placed"].all()
    rows = list(placed.itertuples())
    assert not any(boxes_overlap(a, b) for i, a in enumerate(rows) for b in rows[i + 1:])
    assert (placed["x0"] >= 0).all() and (placed["x1"] <= 10).all() and (placed["y0"] >= 0).all()
    # The first (largest) label keeps its cluster's centre; the others stay near it.
    assert (placed.loc[0, "x"], placed.loc[0, "y"]) == (5.0, 5.0)


def test_label_boxes_grow_with_text_and_font():
    anchors = pd.DataFrame({"x": [1.0, 9.0], "y": [1.0, 9.0]})
    viewport = Viewport((0.0, 10.0), (0.0, 10.0), 500, 500)
    short, long = place_labels(anchors, ["IT", "Information technology"], viewport, 12).itertuples()
    assert (long.x1 - long.x0) > 5 * (short.x1 - short.x0)


def test_anchors_are_ordered_largest_group_first_at_their_median():
    points = network().dropna(subset=["x"])
    points = pd.concat([points, points[points["category"] == "Health"]])  # Health now the largest
    anchors = label_anchors(points, "category")
    assert anchors["category"].tolist()[0] == "Health" and anchors["size"].is_monotonic_decreasing
    health = points[points["category"] == "Health"]
    assert anchors.iloc[0][["x", "y"]].tolist() == [health["x"].median(), health["y"].median()]


# --- the interactive map -----------------------------------------------------------------------------------------

def test_map_names_every_category_once_and_uncategorized_never():
    figure = network_map(network())
    names = [a.text for a in figure.layout.annotations]
    assert sorted(names) == sorted(["Data", "Health", html.escape(XSS)])
    # The raw title is only in the search key, and the JSON that ships escapes its "<".
    assert XSS not in figure.to_json()
    assert all(UNCATEGORIZED not in name for name in names)
    assert figure.data[0].name.startswith(UNCATEGORIZED) and figure.data[0].marker.color == UNCATEGORIZED_COLOR


def test_level_buttons_switch_between_category_and_topic_names():
    figure = network_map(network())
    buttons = figure.layout.updatemenus[0].buttons
    assert [b.label for b in buttons] == list(LEVEL_BUTTONS)
    category_level = [a["text"] for a in buttons[0].args[0]["annotations"]]
    topic_level = [a["text"] for a in buttons[1].args[0]["annotations"]]
    assert category_level == [a.text for a in figure.layout.annotations]
    assert sorted(topic_level) == sorted(["Data Science", "Data Engineering", "Nursing", "Medicine", "Software",
                                          "Web Development"])


def test_map_hover_shows_title_topic_category_and_description_escaped():
    assignments = network()
    figure = network_map(assignments, descriptions={"Software title 0": "Writes <b>code</b> & tests"})
    xss_trace = next(t for t in figure.data if t.name.startswith(html.escape(XSS)))
    assert "Topic: %{customdata[0]}" in xss_trace.hovertemplate and "%{customdata[2]}" in xss_trace.hovertemplate
    row = xss_trace.customdata[list(xss_trace.text).index("Software title 0")]
    assert row[1] == html.escape(XSS) and row[2] == "Writes &lt;b&gt;code&lt;/b&gt; &amp; tests"
    # The raw text is only in the search key, lower-cased, one field per line.
    assert row[SEARCH_KEY_COLUMN] == "software title 0\nsoftware\n" + XSS.lower()


def test_quotes_in_titles_and_names_are_drawn_as_written():
    """plotly.js decodes &lt; &gt; &amp; but not &quot; or &#x27;: escaping quotes would draw them as entities."""
    from jobtopics.report.figures import category_shares_over_time

    assignments = network()
    assignments.loc[0, "title"] = 'Founder, "The Shop" Bakery'
    assignments["category"] = assignments["category"].replace("Data", "Tom's %{x} <Data>")
    figure = network_map(assignments)
    shown = json.dumps([[trace.name, *trace.text, *[row[1] for row in trace.customdata]] for trace in figure.data])
    assert "&quot;" not in shown and "&#x27;" not in shown
    assert 'Founder, \\"The Shop\\" Bakery' in shown and "Tom's %{x} &lt;Data&gt; (" in shown
    shares = pd.DataFrame({"year": [2024], "category": ["Tom's %{x} <Data>"], "share": [1.0], "people": [3]})
    bar = category_shares_over_time(shares, ["Tom's %{x} <Data>"]).data[0]
    assert bar.meta == "Tom's %{x} &lt;Data&gt;" and "%{x}" not in bar.hovertemplate.replace("<br>%{x}:", "")


def test_search_keys_match_exactly_the_contacts_with_the_text_in_title_topic_or_category():
    assignments = network()
    figure = network_map(assignments)
    keys = [row[SEARCH_KEY_COLUMN] for trace in figure.data for row in trace.customdata]
    titled = assignments[assignments["category"] != NO_TITLE]
    expected = titled[["title", "topic_label", "category"]].apply(
        lambda row: any("data" in str(v).lower() for v in row), axis=1).sum()
    assert sum("data" in key for key in keys) == expected == 24


def test_map_labels_of_a_real_sized_map_do_not_overlap_at_the_design_size():
    rng = np.random.default_rng(3)
    rows = [{"id": f"{c}-{i}", "title": f"t{c}-{i}", "topic_label": f"Topic {c}-{i % 3}", "category": f"Category {c}",
             "x": rng.normal(c % 5, 0.6), "y": rng.normal(c // 5, 0.6)} for c in range(20) for i in range(30)]
    from jobtopics.report.data_map import DESIGN_PLOT_PX, _viewport, label_positions, map_points

    points = map_points(pd.DataFrame(rows))
    viewport = _viewport(points)
    assert (viewport.width_px, viewport.height_px) == DESIGN_PLOT_PX
    for level, font in (("category", 13), ("topic_label", 11)):
        labels = label_positions(points, level, viewport, font)
        assert labels["placed"].all(), level
        boxes = list(labels.itertuples())
        assert not any(boxes_overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]), level


def test_topic_names_that_do_not_fit_the_full_view_are_named_when_zoomed_in():
    rng = np.random.default_rng(0)
    rows = [{"id": f"{t}-{i}", "title": f"title {t} {i}", "topic_label": f"A rather long topic name {t}",
             "category": f"Category {t % 10}", "x": rng.normal(t % 12, 0.3), "y": rng.normal(t // 12, 0.3)}
            for t in range(120) for i in range(5)]
    figure = network_map(pd.DataFrame(rows))
    full_view = figure.layout.updatemenus[0].buttons[1].args[0]["annotations"]
    zoomed = figure.layout.meta["zoomed_topic_labels"]
    assert 0 < len(full_view) < 120 and len(zoomed) == 120
    largest_first = [a["text"] for a in zoomed]
    assert [a["text"] for a in full_view] == [name for name in largest_first if name in
                                              {a["text"] for a in full_view}]


# --- colours -----------------------------------------------------------------------------------------------------

SHARMA_PAIRS = [  # Sharma, Wu and Dalal (2005), CIEDE2000 test data
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((50.0, 2.5, 0.0), (56.0, -27.0, -3.0), 31.9030),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
]


@pytest.mark.parametrize("lab1,lab2,expected", SHARMA_PAIRS)
def test_ciede2000_matches_the_published_test_pairs(lab1, lab2, expected):
    assert float(ciede2000(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-4)


def test_deuteranopia_simulation_merges_red_and_green_but_not_blue_and_yellow():
    red_green = simulate_deuteranopia(hex_to_rgb(["#cc3333", "#669900"]))
    blue_yellow = simulate_deuteranopia(hex_to_rgb(["#3333cc", "#cccc33"]))
    assert pairwise_ciede2000(red_green)[0, 1] < 15 < pairwise_ciede2000(blue_yellow)[0, 1]


def assert_distinct(colors: list[str], normal: float, deuteranopia: float):
    rgb = hex_to_rgb(colors)
    seen = pairwise_ciede2000(rgb) + np.eye(len(rgb)) * 1e9
    seen_deutan = pairwise_ciede2000(simulate_deuteranopia(rgb)) + np.eye(len(rgb)) * 1e9
    assert seen.min() >= normal, (seen.min(), colors)
    assert seen_deutan.min() >= deuteranopia, (seen_deutan.min(), colors)


def test_palette_is_distinct_for_normal_and_red_green_blind_vision():
    palette = list(distinct_palette())
    assert len(set(palette)) == len(palette) == 30
    assert_distinct(palette[:10], 15, 15)  # the ten largest categories: 15 apart in both visions
    assert_distinct(palette[:20], 15, 10)  # ~20 categories (label.n_categories): 15 apart for normal vision
    assert_distinct(palette[:30], 10, 8)
    assert UNCATEGORIZED_COLOR not in palette


def test_a_category_keeps_its_colour_in_every_chart():
    order = ["Data", "Health", UNCATEGORIZED]
    colors = category_colors(order)
    assert colors["Data"] == distinct_palette()[0] and colors[UNCATEGORIZED] == UNCATEGORIZED_COLOR
    figure = network_map(network())
    by_trace = {t.name.rsplit(" (", 1)[0]: t.marker.color for t in figure.data}
    from jobtopics.assign import category_order
    from jobtopics.report.figures import category_sizes

    expected = category_colors(category_order(network()))
    sizes = category_sizes(network()).data[0]
    assert dict(zip(sizes.y, sizes.marker.color)) == {html.escape(k): v for k, v in expected.items()}
    assert by_trace == {html.escape(k): v for k, v in expected.items()}


# --- chart files and plotly.js ------------------------------------------------------------------------------------

def test_chart_scripts_cannot_be_closed_by_titles(tmp_path):
    charts = Charts()
    embed = charts.embed(network_map(network()), "network-map")
    assert embed == '<div id="network-map" class="chart"></div><script src="charts/network-map.js"></script>'
    with pytest.raises(ValueError):
        charts.embed(network_map(network()), "network-map")
    write_chart_files(tmp_path, charts, "/* plotly */")
    script = (tmp_path / "charts" / "network-map.js").read_text(encoding="utf-8")
    assert "</script" not in script.lower() and "<script" not in script.lower()
    assert (tmp_path / "charts" / "plotly.min.js").read_text() == "/* plotly */"
    assert "Plotly.restyle" in (tmp_path / "charts" / "map-search.js").read_text()
    assert "var ZOOM_FOR_TOPICS = 2.5;" in (tmp_path / "charts" / "map-levels.js").read_text()


def test_partial_plotly_build_only_when_every_trace_type_is_in_it(tmp_path):
    partial = tmp_path / "partial.js"
    partial.write_text("/* cartesian */")
    assert plotly_source({"scatter", "bar", "heatmap"}, partial) == ("/* cartesian */", "cartesian")
    assert plotly_source({"scattergl"}, partial)[1] == "full"
    assert plotly_source({"scatter"}, tmp_path / "missing.js")[1] == "full"
    assert "scattergl" not in CARTESIAN_TRACE_TYPES


def test_makefile_fetches_the_plotly_js_version_plotly_python_bundles():
    from plotly.offline import get_plotlyjs_version

    pinned = re.search(r"^PLOTLYJS_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert pinned == get_plotlyjs_version()


def test_map_page_is_one_file_with_search_and_escaped_title():
    page = map_page_html(network_map(network()), "/* plotly */", XSS)
    assert 'id="network-map-search"' in page and "Plotly.newPlot" in page and "<title>&lt;script&gt;" in page
    assert 'src="' not in page  # nothing to fetch: works offline, alone
    # plotly.js, the map, its search and its zoom levels
    assert page.count("<script>") == page.count("</script>") == 4


def test_chart_script_draws_into_its_div():
    assert chart_script(network_map(network()), "network-map").count('Plotly.newPlot("network-map"') == 1


# --- Methods ------------------------------------------------------------------------------------------------------

def test_readable_values_have_no_nan_none_or_json():
    assert [readable(v) for v in (None, float("nan"), True, 0.123456, 2.0, [5, 10], {"input": 1.0}, "", 30000)] == [
        "not set", "not set", "yes", "0.123", "2", "5, 10", "input 1", "(empty)", "30,000"]


def provenance():
    return {
        "fit": {"fit": "abc", "refit": True, "titles_in_fit": 337, "titles_now": 337, "new_titles": 337,
                "gone_titles": 0, "reason": "no fitted map yet"},
        "parameters": {"llm": {"base_url": "", "max_requests": None, "price_per_million_tokens": {"input": 1.0}},
                       "sweep": {"grid": {"n_neighbors": [10, 30]}},
                       "sweep recommendation (used)": {
                           "reduce": {"n_neighbors": 10, "min_dist": 0.0, "n_components": 5, "seed": 2},
                           "cluster": {"min_cluster_size": 10, "min_samples": 2}, "reason": "the most stable."}},
        "llm": {"enrich": {"mode": "none"}, "label": {"requests": 17, "cost": float("nan")}},
        "runtimes": [{"Step": "embed", "Wall time (s)": 6.4, "Peak memory (MB)": None}],
        "versions": {"plotly": "7.1.0"},
        "input": {"file": "Connections.csv", "sha256": "3ac8", "rows": 600},
    }


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_methods_tables_are_tidy_and_readable():
    section = methods_section(provenance())
    text = visible_text(section)
    assert not re.search(r"\b(nan|NaN|None)\b|[{}]", text)  # "none" (enrich.mode) is a real setting
    assert "The sweep chose UMAP n_neighbors 10, min_dist 0, n_components 5 (seed 2) and HDBSCAN " \
           "min_cluster_size 10, min_samples 2 for the map: the most stable." in text
    table = settings_table(provenance()["parameters"])
    assert table[table["Setting"] == "price_per_million_tokens.input"]["Value"].tolist() == ["1"]
    assert table[table["Setting"] == "grid.n_neighbors"]["Value"].tolist() == ["10, 30"]
    assert "provenance.json" in text
    # A map fitted by this run compares its titles with the closest earlier map, not with itself.
    assert re.search(r"Titles new since the closest earlier map \(all when there is none\)\s+337", text)
    assert "Titles new since the fit" in visible_text(methods_section({**provenance(), "fit": {
        **provenance()["fit"], "refit": False, "new_titles": 2}}))
    usage = llm_usage_table(provenance()["llm"])
    assert usage.columns.tolist() == ["Measure", "enrich", "label"]
    assert usage.to_dict("records") == [{"Measure": "mode", "enrich": "none", "label": "–"},
                                        {"Measure": "requests", "enrich": "–", "label": "17"},
                                        {"Measure": "cost", "enrich": "–", "label": "not set"}]


def test_the_settings_table_shows_the_values_the_sweep_picked_beside_the_config():
    parameters = {**provenance()["parameters"], "reduce": {"n_neighbors": 15, "seed": 42},
                  "cluster": {"min_cluster_size": 5, "min_samples": None, "params": "auto"}}
    table = settings_table(parameters).set_index(["Step", "Setting"])["Value"]
    assert table[("reduce", "seed")] == "2 (the sweep's pick; the config says 42)"
    assert table[("cluster", "min_samples")] == "2 (the sweep's pick; the config says not set)"
    assert table[("cluster", "params")] == "auto"
    parameters["cluster"]["params"] = "config"  # the config's values were used as written
    assert settings_table(parameters).set_index(["Step", "Setting"])["Value"][("reduce", "seed")] == "42"


def test_a_step_shorter_than_snakemakes_memory_sampling_shows_no_peak_memory(tmp_path):
    from jobtopics.report.runtimes import read_runtimes

    for step, seconds, rss in (("ingest", 0.3, 0.2), ("embed", 9.9, 911.7)):
        (tmp_path / f"{step}.tsv").write_text(f"s\tmax_rss\n{seconds}\t{rss}\n")
    rows = read_runtimes([str(tmp_path / "ingest.tsv"), str(tmp_path / "embed.tsv")])
    assert [row["Peak memory (MB)"] for row in rows] == [None, 911.7]


def test_naming_audit_table_appears_only_when_the_label_step_wrote_it(tmp_path):
    path = tmp_path / "naming_audit.parquet"
    assert naming_audit_section(path) == ""
    pd.DataFrame({"category": [XSS], "name_source": ["llm"], "evidence": ["terms: a, b"], "runner_up": [None],
                  "extra": [1]}).to_parquet(path)
    section = naming_audit_section(path)
    assert "&lt;script&gt;" in section and "Runner-up name" in section and "not set" in section
    assert "extra" not in section
    # On a reused map the evidence shows no title nobody holds any more.
    quoted = ["Vice President, Engineering", "Left Engineer"]
    pd.DataFrame({"category": ["Engineers"], "name_source": ["head noun"], "runner_up": ["Engineering"],
                  "evidence": [f"titles: {', '.join(quoted)}; terms: backend"], "evidence_titles": [quoted]}
                 ).to_parquet(path)
    section = visible_text(naming_audit_section(path, {"Vice President, Engineering"}))
    assert "titles: Vice President, Engineering; terms: backend" in section and "Left Engineer" not in section
    assert "titles:" not in visible_text(naming_audit_section(path, set()))
    # The evidence quotes roles without their rank: "Senior Left Engineer" still holds "Left Engineer".
    section = visible_text(naming_audit_section(path, {"vice president, engineering", "Senior Left Engineer"}))
    assert "titles: Vice President, Engineering, Left Engineer; terms: backend" in section


def test_the_sensitivity_rows_say_whether_the_map_is_the_sweeps_pick():
    from jobtopics.report.sensitivity import comparison_runs

    cells = pd.DataFrame([{"n_neighbors": 10, "min_dist": 0.0, "n_components": 5, "min_cluster_size": 5,
                           "min_samples": 2, "seed": seed} for seed in (1, 2)])
    pick = cells.iloc[1].to_dict()
    assert [name for name, _ in comparison_runs(cells, pick)] == ["seed 1", "seed 2 (chosen)"]
    assert [name for name, _ in comparison_runs(cells, pick, map_uses_pick=False)][1] == \
        "seed 2 (the sweep's pick; the map uses the config's settings)"
