"""Plotly figures of the report. Job titles are untrusted: they are HTML-escaped before plotly sees them."""

from __future__ import annotations


import pandas as pd
import plotly.graph_objects as go

from ..assign import category_order
from ..names import OTHER_CATEGORIES, UNCATEGORIZED
from .palette import category_colors, distinct_palette
from .plot_text import plot_text

# Every chart takes category colours from palette.category_colors, so a category looks the same everywhere.
PALETTE = distinct_palette()


def category_sizes(assignments: pd.DataFrame) -> go.Figure:
    order = category_order(assignments)
    counts = assignments["category"].value_counts()
    colors = category_colors(order)
    figure = go.Figure(
        go.Bar(
            x=[int(counts[c]) for c in order][::-1],
            y=[plot_text(c) for c in order][::-1],
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


def connections_timeline(per_year: pd.DataFrame) -> go.Figure:
    figure = go.Figure(go.Bar(x=per_year["year"], y=per_year["connections"], marker={"color": PALETTE[0]},
                              hovertemplate="%{x}: %{y} new connections<extra></extra>"))
    figure.update_layout(xaxis={"title": {"text": "year connected"}, "dtick": 1},
                         yaxis={"title": {"text": "new connections"}}, height=340,
                         margin={"l": 10, "r": 10, "t": 10, "b": 40}, plot_bgcolor="white")
    return figure


OTHER_COLOR = "#8c8c8c"


def category_shares_over_time(shares: pd.DataFrame, order: list[str]) -> go.Figure:
    """Stacked share of each (large) category among each year's new connections, in the map's colours."""
    colors = category_colors(order)
    names = [name for name in order if name != UNCATEGORIZED and name in set(shares["category"])]
    figure = go.Figure()
    for name in [UNCATEGORIZED, *names, OTHER_CATEGORIES]:
        part = shares[shares["category"] == name]
        if part.empty:
            continue
        # The name goes in as data (meta), not into the template: "%{x}" in a name would be filled in.
        figure.add_trace(go.Bar(x=part["year"], y=part["share"], name=plot_text(name), meta=plot_text(name),
                                marker={"color": colors.get(name, OTHER_COLOR)}, customdata=part["people"],
                                hovertemplate="%{meta}<br>%{x}: %{y:.0%} (%{customdata} people)<extra></extra>"))
    figure.update_layout(barmode="stack", yaxis={"tickformat": ".0%", "title": {"text": "share of the year"}},
                         xaxis={"dtick": 1}, height=420, margin={"l": 10, "r": 10, "t": 10, "b": 40},
                         plot_bgcolor="white", legend={"traceorder": "normal"})
    return figure


def occupation_group_sizes(groups: pd.DataFrame) -> go.Figure:
    """People per SOC major group, absent groups shown as empty rows so the gaps are visible."""
    ordered = groups.sort_values(["people", "soc_major"], ascending=[True, False], kind="stable")
    status_color = {"absent": "#d62728", "thin": "#ff7f0e", "present": PALETTE[0]}
    figure = go.Figure(go.Bar(
        x=ordered["share"], y=[f"{plot_text(g)} ({c})" + (" — absent" if status == "absent" else "")
                               for g, c, status in zip(ordered["group"], ordered["soc_major"], ordered["status"])],
        orientation="h", marker={"color": [status_color[s] for s in ordered["status"]]},
        customdata=ordered[["people", "status"]].to_numpy(),
        hovertemplate="%{y}: %{customdata[0]} people (%{x:.1%}), %{customdata[1]}<extra></extra>"))
    figure.update_layout(xaxis={"tickformat": ".0%", "title": {"text": "share of contacts with a title"}},
                         height=26 * len(ordered) + 80, margin={"l": 10, "r": 10, "t": 10, "b": 40},
                         plot_bgcolor="white")
    return figure
