"""A static PNG of the map (1200 x 630, the size social networks use for link previews)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..assign import category_order
from ..names import NO_TITLE, UNCATEGORIZED
from .figures import category_colors

LEGEND_ENTRIES = 12


def _plain(text: str) -> str:
    """Untrusted text for matplotlib: a "$" would otherwise start math mode (and can fail to parse)."""
    return text.replace("$", r"\$")


def write_static_map(assignments: pd.DataFrame, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")  # no display; must precede pyplot
    import matplotlib.pyplot as plt

    points = assignments[assignments["category"] != NO_TITLE]
    order = category_order(assignments)
    colors = category_colors(order)
    figure, axes = plt.subplots(figsize=(12, 6.3), dpi=100)
    for category in [UNCATEGORIZED, *[c for c in order if c != UNCATEGORIZED]]:
        members = points[points["category"] == category]
        if members.empty:
            continue
        named = category != UNCATEGORIZED and order.index(category) < LEGEND_ENTRIES
        axes.scatter(members["x"], members["y"], s=10 if category == UNCATEGORIZED else 16, c=colors[category],
                     alpha=0.6 if category == UNCATEGORIZED else 0.85, linewidths=0,
                     # matplotlib treats labels starting with "_" as hidden; titles are plain text here.
                     label=_plain(f"{category} ({len(members)})").lstrip("_") if named or category == UNCATEGORIZED
                     else None)
    axes.set_axis_off()
    axes.set_aspect("equal", adjustable="datalim")
    axes.set_title(_plain(title), fontsize=16, loc="left")
    if len(points):
        axes.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=9, markerscale=1.5)
    figure.tight_layout()
    # No timestamp or software version in the file, so reruns give identical bytes.
    figure.savefig(path, format="png", metadata={"Software": None})
    plt.close(figure)
