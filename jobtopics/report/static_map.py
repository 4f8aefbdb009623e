"""A static PNG of the map (1200 x 630, the size social networks use for link previews), with each
category's name on its cluster instead of a legend, in type large enough to read as a thumbnail."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..assign import category_order
from ..names import UNCATEGORIZED
from .data_map import label_positions, map_points
from .label_layout import Viewport, padded_range
from .palette import category_colors

WIDTH_PX, HEIGHT_PX, DPI = 1200, 630, 100
# The axes fill the image below the title: [left, bottom, width, height] as shares of the figure.
AXES_BOX = (0.01, 0.01, 0.98, 0.87)
LABEL_FONT_PX = 20


def _plain(text: str) -> str:
    """Untrusted text for matplotlib: a "$" would otherwise start math mode (and can fail to parse)."""
    return text.replace("$", r"\$")


def write_static_map(assignments: pd.DataFrame, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede pyplot
    import matplotlib.pyplot as plt

    points = map_points(assignments)
    order = category_order(assignments)
    colors = category_colors(order)
    figure = plt.figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    axes = figure.add_axes(AXES_BOX)
    for category in [UNCATEGORIZED, *[c for c in order if c != UNCATEGORIZED]]:
        members = points[points["category"] == category]
        if not members.empty:
            axes.scatter(members["x"], members["y"], s=12 if category == UNCATEGORIZED else 26, c=colors[category],
                         alpha=0.6 if category == UNCATEGORIZED else 0.85, linewidths=0)
    axes.set_axis_off()
    if len(points):
        viewport = Viewport(padded_range(points["x"].to_numpy()), padded_range(points["y"].to_numpy()),
                            WIDTH_PX * AXES_BOX[2], HEIGHT_PX * AXES_BOX[3])
        axes.set_xlim(*viewport.x_range)
        axes.set_ylim(*viewport.y_range)
        # matplotlib sizes text in points (1/72 in); at 100 dpi one pixel is 0.72 pt.
        for label in label_positions(points, "category", viewport, LABEL_FONT_PX).itertuples(index=False):
            axes.text(label.x, label.y, _plain(label.name), ha="center", va="center", fontsize=LABEL_FONT_PX * 0.72,
                      fontweight="bold", color="#111111",
                      bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.85,
                            "edgecolor": colors.get(label.name, "#999999"), "linewidth": 2})
    figure.text(0.01, 0.97, _plain(title), fontsize=22, ha="left", va="top")
    # No timestamp or software version in the file, so reruns give identical bytes.
    figure.savefig(path, format="png", metadata={"Software": None})
    plt.close(figure)
