"""Plotly figures of the report. Job titles are untrusted: they are HTML-escaped before plotly sees them."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from ..assign import category_order
from ..names import NO_TITLE, UNCATEGORIZED

UNCATEGORIZED_COLOR = "#d3d3d3"
# SVG markers work everywhere (no WebGL needed) and stay smooth up to a few thousand points; beyond, WebGL.
MAX_SVG_POINTS = 5000
PALETTE = qualitative.Dark24 + qualitative.Light24


def category_colors(categories: list[str]) -> dict[str, str]:
    named = [c for c in categories if c != UNCATEGORIZED]
    colors = {category: PALETTE[i % len(PALETTE)] for i, category in enumerate(named)}
    colors[UNCATEGORIZED] = UNCATEGORIZED_COLOR
    return colors


def network_map(assignments: pd.DataFrame, title: str = "") -> go.Figure:
    """One trace per category; Uncategorized first so it sits beneath, in light grey; hover = title + category."""
    points = assignments[assignments["category"] != NO_TITLE]
    order = category_order(assignments)
    colors = category_colors(order)
    trace_type = go.Scatter if len(points) <= MAX_SVG_POINTS else go.Scattergl
    figure = go.Figure()
    for category in [UNCATEGORIZED, *[c for c in order if c != UNCATEGORIZED]]:
        members = points[points["category"] == category]
        if members.empty:
            continue
        figure.add_trace(
            trace_type(
                x=members["x"],
                y=members["y"],
                mode="markers",
                name=f"{html.escape(category)} ({len(members)})",
                marker={"size": 6 if category == UNCATEGORIZED else 8, "color": colors[category],
                        "opacity": 0.6 if category == UNCATEGORIZED else 0.85},
                text=[html.escape(t) for t in members["title"]],
                customdata=[html.escape(category)] * len(members),
                hovertemplate="<b>%{text}</b><br>%{customdata}<extra></extra>",
            )
        )
    figure.update_layout(
        title=html.escape(title) if title else None,
        xaxis={"visible": False},
        yaxis={"visible": False, "scaleanchor": "x"},
        legend={"itemsizing": "constant", "title": {"text": "Category (people)"}},
        plot_bgcolor="white",
        height=720,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
    )
    return figure


def category_sizes(assignments: pd.DataFrame) -> go.Figure:
    order = category_order(assignments)
    counts = assignments["category"].value_counts()
    colors = category_colors(order)
    figure = go.Figure(
        go.Bar(
            x=[int(counts[c]) for c in order][::-1],
            y=[html.escape(c) for c in order][::-1],
            orientation="h",
            marker={"color": [colors[c] for c in order][::-1]},
            hovertemplate="%{y}: %{x} people<extra></extra>",
        )
    )
    figure.update_layout(
        xaxis={"title": {"text": "people"}},
        height=max(320, 26 * len(order) + 80),
        margin={"l": 10, "r": 10, "t": 10, "b": 40},
        plot_bgcolor="white",
    )
    return figure
