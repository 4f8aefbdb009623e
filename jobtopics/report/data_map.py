"""The interactive map: one point per contact, names placed on it at two levels, rich hover, searchable.

Job titles, topic names and category names are untrusted text: everything plotly shows is HTML-escaped here;
the raw text travels only in the search key, which plotly's JSON writer escapes (`<` becomes `\\u003c`) and
our search script reads as data, never as markup.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ..assign import category_order
from ..names import NO_TITLE, UNCATEGORIZED
from .label_layout import Viewport, label_anchors, padded_range, place_labels
from .palette import category_colors
from .plot_text import plot_text

MAP_ID = "network-map"
# SVG markers work everywhere (no WebGL needed) and stay smooth up to a few thousand points; beyond, WebGL.
MAX_SVG_POINTS = 5000
MAP_HEIGHT = 820
# Labels are laid out for a plot area this large (pixels): a post column in an 800 px window leaves ~680 px for
# the plot, so 600 keeps a margin; 520 is the height left once the buttons and a two-column legend of ~24
# categories have taken theirs. Wider, taller or zoomed in, the labels only get more room.
DESIGN_PLOT_PX = (600, 520)
CATEGORY_FONT, TOPIC_FONT = 13, 11
# customdata columns of every point trace; the search script reads SEARCH_KEY_COLUMN.
CUSTOMDATA = ["topic", "category", "description", "search"]
SEARCH_KEY_COLUMN = CUSTOMDATA.index("search")
LEVEL_BUTTONS = ("Categories", "Topics")
# Zoomed in this many times (map width), the map shows topic names (map_levels.js), laid out a second time for
# a plot this many times larger: where the full view has room for the largest topics' names only, the zoomed
# view names every topic. The layout travels in layout.meta, which plotly keeps but does not draw.
ZOOM_FOR_TOPICS = 2.5
ZOOMED_TOPIC_LABELS = "zoomed_topic_labels"


def search_key(title: str, topic: str, category: str) -> str:
    """What the search box matches against (case-insensitively): the fields, one per line so a query typed
    on one line never matches across two fields."""
    return "\n".join([title, topic, category]).lower()


def _wrapped(text: str, width: int = 60) -> str:
    return "<br>".join(plot_text(line) for line in textwrap.wrap(text, width)) if text else ""


def map_points(assignments: pd.DataFrame) -> pd.DataFrame:
    """Contacts with a job title (and so a map point)."""
    points = assignments[assignments["category"] != NO_TITLE].copy()
    points["topic_label"] = points["topic_label"].fillna(UNCATEGORIZED).astype(str)
    return points


def _viewport(points: pd.DataFrame) -> Viewport:
    if points.empty:
        return Viewport((0.0, 1.0), (0.0, 1.0), *DESIGN_PLOT_PX)
    return Viewport(padded_range(points["x"].to_numpy()), padded_range(points["y"].to_numpy()), *DESIGN_PLOT_PX)


def _anchored_on_members(points: pd.DataFrame, group: str) -> pd.DataFrame:
    """Each group's anchor moved to its member nearest the median, so a group spread over two clusters is
    named on one of them rather than in the empty space between."""
    anchors = label_anchors(points, group)
    members_of = points.groupby(group, sort=False)[["x", "y"]]
    moved = []
    for name, x, y in zip(anchors[group], anchors["x"], anchors["y"]):
        members = members_of.get_group(name).to_numpy(dtype=float)
        moved.append(members[np.argmin((members[:, 0] - x) ** 2 + (members[:, 1] - y) ** 2)])
    if moved:
        anchors[["x", "y"]] = np.vstack(moved)
    return anchors


def named_groups(points: pd.DataFrame, group: str) -> pd.DataFrame:
    """Rows of points that carry a name at this level (Uncategorized stays unlabelled, grey, beneath)."""
    return points[(points[group] != UNCATEGORIZED) & (points["category"] != UNCATEGORIZED)]


def label_positions(points: pd.DataFrame, group: str, viewport: Viewport, font_size: float) -> pd.DataFrame:
    """name, x, y (label centre), box, placed: one row per named group at this level, largest first."""
    named = named_groups(points, group)
    if named.empty:
        return pd.DataFrame(columns=["name", "x", "y", "x0", "y0", "x1", "y1", "placed"])
    anchors = _anchored_on_members(named, group)
    names = anchors[group].astype(str).tolist()
    placed = place_labels(anchors, names, viewport, font_size)
    return pd.concat([pd.DataFrame({"name": names}), placed], axis=1)


def _annotations(labels: pd.DataFrame, level: str, colors: dict[str, str] | None, font_size: float) -> list[dict]:
    """Plotly annotations with a white, semi-opaque background (readable over points); category names framed
    in their colour."""
    annotations = []
    for row in labels.itertuples(index=False):
        annotations.append({
            "x": row.x, "y": row.y, "xref": "x", "yref": "y", "showarrow": False, "text": plot_text(row.name),
            "font": {"size": font_size, "color": "#111111", "weight": "bold" if level == "category" else "normal"},
            "bgcolor": "rgba(255,255,255,0.85)", "borderpad": 2,
            "bordercolor": colors.get(row.name, "#999999") if colors else "rgba(0,0,0,0)",
            "borderwidth": 2 if colors else 0, "name": f"{level}-label", "captureevents": False,
        })
    return annotations


def network_map(assignments: pd.DataFrame, title: str = "", descriptions: dict[str, str] | None = None) -> go.Figure:
    """One trace per category (Uncategorized first, grey, beneath); category names on the map, topic names
    one button away; hover shows title, topic, category and the title's description when enrichment ran."""
    points = map_points(assignments)
    order = category_order(assignments)
    colors = category_colors(order)
    descriptions = descriptions or {}
    trace_type = go.Scatter if len(points) <= MAX_SVG_POINTS else go.Scattergl
    hover = "<b>%{text}</b><br>Topic: %{customdata[0]}<br>Category: %{customdata[1]}"
    if descriptions:
        hover += "<br><i>%{customdata[2]}</i>"
    figure = go.Figure()
    for category in [UNCATEGORIZED, *[c for c in order if c != UNCATEGORIZED]]:
        members = points[points["category"] == category]
        if members.empty:
            continue
        customdata = [[plot_text(topic), plot_text(category), _wrapped(descriptions.get(title, "")),
                       search_key(title, topic, category)]
                      for title, topic in zip(members["title"], members["topic_label"])]
        figure.add_trace(trace_type(
            x=members["x"], y=members["y"], mode="markers", name=f"{plot_text(category)} ({len(members)})",
            marker={"size": 6 if category == UNCATEGORIZED else 8, "color": colors[category],
                    "opacity": 0.6 if category == UNCATEGORIZED else 0.85},
            # The search dims what does not match; the matches keep full colour.
            selected={"marker": {"opacity": 1.0}}, unselected={"marker": {"opacity": 0.07}},
            text=[plot_text(t) for t in members["title"]], customdata=customdata,
            hovertemplate=hover + "<extra></extra>",
        ))
    viewport = _viewport(points)
    category_labels = _annotations(label_positions(points, "category", viewport, CATEGORY_FONT), "category", colors,
                                   CATEGORY_FONT)
    # A topic name with no free spot is left out rather than drawn over another (hover and search still find
    # its titles); category names are always drawn.
    topic_labels, zoomed_topic_labels = (
        _annotations(positions[positions["placed"].astype(bool)], "topic", None, TOPIC_FONT)
        for positions in (label_positions(points, "topic_label", view, TOPIC_FONT)
                          for view in (viewport, viewport.zoomed(ZOOM_FOR_TOPICS))))
    figure.update_layout(
        title=plot_text(title) if title else None,
        xaxis={"visible": False, "range": list(viewport.x_range)},
        yaxis={"visible": False, "range": list(viewport.y_range)},
        legend={"orientation": "h", "x": 0, "y": -0.01, "yanchor": "top", "itemsizing": "constant",
                "title": {"text": "Category (people); click to hide or show", "side": "top"}},
        annotations=category_labels,
        meta={ZOOMED_TOPIC_LABELS: zoomed_topic_labels},
        updatemenus=[{
            "type": "buttons", "direction": "right", "showactive": True, "active": 0,
            "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "pad": {"b": 4},
            "buttons": [{"label": LEVEL_BUTTONS[0], "method": "relayout", "args": [{"annotations": category_labels}]},
                        {"label": LEVEL_BUTTONS[1], "method": "relayout", "args": [{"annotations": topic_labels}]}],
        }],
        plot_bgcolor="white", height=MAP_HEIGHT, dragmode="zoom", hovermode="closest",
        margin={"l": 10, "r": 10, "t": 80 if title else 40, "b": 10},
    )
    return figure


def enriched_descriptions(titles: pd.DataFrame, descriptions: pd.DataFrame) -> dict[str, str]:
    """title -> the LLM's description, for titles the LLM described (a title standing in for itself adds
    nothing to the hover)."""
    described = titles[["title_key", "title"]].merge(descriptions, on="title_key")
    described = described[described["source"] == "llm"]
    return dict(zip(described["title"], described["description"]))
