"""The post bundle of a real run: a small editable index.qmd, charts as files with one shared plotly.js, a
one-file report.html within its size budget that keeps every section, map.png, distinct category colours."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from jobtopics.report.colour_difference import hex_to_rgb, pairwise_ciede2000, simulate_deuteranopia

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
PARTIAL_PLOTLY = ROOT / "vendor" / "plotly.js" / "plotly-cartesian.min.js"
REPORT_BUDGET_BYTES = 5_000_000
QMD_BUDGET_BYTES = 100_000
# The sections the report had before the map gained names and search, and the map's own parts.
SECTION_IDS = ["headline", "narrative", "the-map", "how-big-is-each-category", "what-each-category-contains",
               "how-the-network-grew", "where-they-work", "occupations",
               "sensitivity-how-much-the-map-depends-on-the-settings", "methods-and-provenance", "sweep-choice"]
CHART_IDS = ["network-map", "category-sizes", "connections-per-year", "category-shares-by-year",
             "occupation-groups", "sweep-heatmaps", "sweep-stability"]


@pytest.fixture(scope="module")
def report(finished_run):
    workdir, *_ = finished_run
    return workdir / "results" / "report"


def test_post_source_is_small_and_embeds_chart_files(report):
    source = report / "post" / "index.qmd"
    text = source.read_text(encoding="utf-8")
    assert source.stat().st_size < QMD_BUDGET_BYTES
    front_matter = text.split("---", 2)[1]
    assert "resources:" in front_matter and "charts/*.js" in front_matter and "embed-resources" not in front_matter
    included = re.findall(r'<script src="(charts/[^"]+)"></script>', text)
    assert included.count("charts/plotly.min.js") == 1 and included[0] == "charts/plotly.min.js"
    assert sorted(included[1:]) == sorted([f"charts/{chart}.js" for chart in CHART_IDS]
                                         + ["charts/map-search.js", "charts/map-levels.js"])
    for path in included:
        assert (source.parent / path).is_file(), path
    assert "Plotly.newPlot" not in text  # the charts' data lives in the chart files, not in the prose
    parameters = json.loads((source.parent / "provenance.json").read_text(encoding="utf-8"))["parameters"]
    # Every step that shapes the categories is on record, with the settings it ran with.
    assert {"reduce", "cluster", "label", "outliers"} <= set(parameters)
    assert "refine_min_gain" in parameters["label"] and "min_similarity" in parameters["outliers"]


def test_report_html_is_one_offline_file_with_every_section(report):
    page = (report / "report.html").read_text(encoding="utf-8")
    for element in SECTION_IDS + CHART_IDS + ["network-map-search"]:
        assert f'id="{element}"' in page, element
    assert 'src="charts/' not in page and not re.search(r'<script[^>]+src="https?:', page)
    assert page.count("Plotly.newPlot(") == len(CHART_IDS)


def test_report_html_fits_its_size_budget(report):
    if not PARTIAL_PLOTLY.is_file():
        if os.environ.get("CI"):
            pytest.fail("CI must fetch plotly.js's cartesian build (make plotlyjs)")
        pytest.skip("plotly.js's cartesian build is not installed (make plotlyjs)")
    assert (report / "report.html").stat().st_size <= REPORT_BUDGET_BYTES


def test_social_image_is_1200_by_630(report):
    from PIL import Image

    assert Image.open(report / "post" / "figures" / "map.png").size == (1200, 630)


def test_example_category_colours_are_distinct_in_both_visions(report):
    script = (report / "post" / "charts" / "network-map.js").read_text(encoding="utf-8")
    figure = json.loads(re.search(r"var figure = (\{.*\});\n", script).group(1))
    named = [trace["marker"]["color"] for trace in figure["data"] if not trace["name"].startswith("Uncategorized")]
    assert len(named) >= 3
    rgb = hex_to_rgb(named)
    normal = pairwise_ciede2000(rgb) + np.eye(len(rgb)) * 1e9
    deutan = pairwise_ciede2000(simulate_deuteranopia(rgb)) + np.eye(len(rgb)) * 1e9
    assert normal.min() >= 15
    # Ten colours can stay 15 apart for a red-green-blind reader; more keep >= 10 (see jobtopics/report/palette.py).
    assert deutan[:10, :10].min() >= 15 and deutan.min() >= 10
