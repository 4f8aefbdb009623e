"""Charts as files of the post bundle: one script per chart and one shared plotly.js.

The post's `index.qmd` only holds a `<div>` and a `<script src="charts/<id>.js">` per chart, so it stays small
and editable; Quarto copies `charts/` (listed under `resources:`), and pandoc's `--embed-resources` inlines
the same files into one offline HTML file.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path

import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from .data_map import MAP_ID, SEARCH_KEY_COLUMN, ZOOM_FOR_TOPICS, ZOOMED_TOPIC_LABELS

CHARTS_FOLDER = "charts"
PLOTLY_FILE = "plotly.min.js"
# The map's own scripts (bundle file name: package asset), run after the map is drawn.
MAP_SCRIPTS = {"map-search.js": "map_search.js", "map-levels.js": "map_levels.js"}
# Trace types drawn by plotly.js's "cartesian" partial bundle (its README lists the modules).
CARTESIAN_TRACE_TYPES = {"bar", "box", "contour", "heatmap", "histogram", "histogram2d", "histogram2dcontour",
                         "image", "pie", "scatter", "scatterternary", "violin"}
PLOT_CONFIG = {"displaylogo": False, "responsive": True}


class Charts:
    """Collects the report's figures by element id; `embed` returns the HTML that shows one of them."""

    def __init__(self) -> None:
        self.figures: dict[str, go.Figure] = {}

    def embed(self, figure: go.Figure, div_id: str) -> str:
        if div_id in self.figures:
            raise ValueError(f"two charts with the id {div_id!r}")
        self.figures[div_id] = figure
        return f'<div id="{html.escape(div_id)}" class="chart"></div>{script_include(div_id)}'

    def trace_types(self) -> set[str]:
        return {trace.type for figure in self.figures.values() for trace in figure.data}


def script_include(div_id: str) -> str:
    return f'<script src="{CHARTS_FOLDER}/{html.escape(div_id)}.js"></script>'


def plotly_include() -> str:
    return f'<script src="{CHARTS_FOLDER}/{PLOTLY_FILE}"></script>'


def chart_script(figure: go.Figure, div_id: str) -> str:
    """Draws the figure into its div. plotly's JSON escapes <, > and / so no text can close the script."""
    return (f"(function () {{\n  var figure = {figure.to_json()};\n"
            f"  Plotly.newPlot({json.dumps(div_id)}, figure.data, figure.layout, {json.dumps(PLOT_CONFIG)});\n}})();\n")


def map_script(asset: str) -> str:
    source = resources.files("jobtopics.report").joinpath("assets", asset).read_text(encoding="utf-8")
    return (source.replace("__SEARCH_KEY_COLUMN__", str(SEARCH_KEY_COLUMN))
            .replace("__ZOOM_FOR_TOPICS__", json.dumps(ZOOM_FOR_TOPICS))
            .replace("__ZOOMED_TOPIC_LABELS__", ZOOMED_TOPIC_LABELS))


def map_block(map_script_html: str) -> str:
    """The search box above the map, the map, and its scripts (which need the map drawn)."""
    return (
        '<div class="map-search"><label for="network-map-search">Search titles, topics and categories: </label>'
        '<input type="search" id="network-map-search" autocomplete="off" spellcheck="false" '
        'placeholder="e.g. data, nurse, sales"> <span id="network-map-search-count" aria-live="polite"></span></div>'
        f"{map_script_html}"
    )


def plotly_source(trace_types: set[str], partial_bundle: Path | None) -> tuple[str, str]:
    """plotly.js text and which build it is: the cartesian partial bundle (1.5 MB) when it is installed
    (`make plotlyjs`) and draws every trace type used, else plotly's full build (4.8 MB)."""
    if partial_bundle is not None and partial_bundle.is_file() and trace_types <= CARTESIAN_TRACE_TYPES:
        return partial_bundle.read_text(encoding="utf-8"), "cartesian"
    return get_plotlyjs(), "full"


def write_chart_files(folder: Path, charts: Charts, plotly_js: str) -> None:
    """charts/<id>.js per figure, the map's scripts and the shared plotly.js, under folder/charts."""
    target = folder / CHARTS_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    (target / PLOTLY_FILE).write_text(plotly_js, encoding="utf-8")
    for name, asset in MAP_SCRIPTS.items():
        (target / name).write_text(map_script(asset), encoding="utf-8")
    for div_id, figure in charts.figures.items():
        (target / f"{div_id}.js").write_text(chart_script(figure, div_id), encoding="utf-8")


def map_embed(charts: Charts, figure: go.Figure) -> str:
    """The map as the post embeds it: search box, map div and scripts from the bundle."""
    shown = charts.embed(figure, MAP_ID)
    return map_block(shown + "".join(f'<script src="{CHARTS_FOLDER}/{name}"></script>' for name in MAP_SCRIPTS))


def inline_script(source: str) -> str:
    if "</script" in source.lower():
        raise ValueError("a script to inline contains '</script'")
    return f"<script>{source}</script>"


def map_fragment_html(figure: go.Figure, plotly_js: str) -> str:
    """The map with its search as one pasteable fragment: plotly.js and the scripts inlined."""
    body = f'<div id="{MAP_ID}" class="chart"></div>' + inline_script(chart_script(figure, MAP_ID))
    scripts = "".join(inline_script(map_script(asset)) for asset in MAP_SCRIPTS.values())
    return f'<div class="jobtopics-map">{inline_script(plotly_js)}{map_block(body + scripts)}</div>'



def map_page_html(figure: go.Figure, plotly_js: str, title: str) -> str:
    """The map alone as a self-contained page."""
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
            f'<body style="font-family: sans-serif; margin: 1em">{map_fragment_html(figure, plotly_js)}</body></html>\n')
