"""Where each name goes on the map: near its cluster, never over another name.

Placement is greedy in data coordinates, largest group first: each label tries its cluster's centre, then
positions on growing rings around it, and takes the first whose box overlaps no label placed before and stays
inside the plot. Boxes are sized for a given plot size in pixels; when the reader views the map wider or
zooms in, each box shrinks around its fixed centre, so labels that did not overlap still do not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Average glyph width of a sans-serif font as a share of its size; generous, so real text fits its box.
CHAR_WIDTH = 0.62
LINE_HEIGHT = 1.35
PADDING_PX = 4
RING_ANGLES = 16
MAX_RINGS = 40


@dataclass(frozen=True)
class Viewport:
    """The data range shown and the plot area in pixels: converts label sizes from pixels to data units."""
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    width_px: float
    height_px: float

    def zoomed(self, factor: float) -> "Viewport":
        """The same data range drawn `factor` times larger: how the full map looks zoomed in that far."""
        return Viewport(self.x_range, self.y_range, self.width_px * factor, self.height_px * factor)

    def data_per_px(self) -> tuple[float, float]:
        return ((self.x_range[1] - self.x_range[0]) / self.width_px,
                (self.y_range[1] - self.y_range[0]) / self.height_px)


def padded_range(values: np.ndarray, share: float = 0.06) -> tuple[float, float]:
    low, high = float(np.min(values)), float(np.max(values))
    margin = max(high - low, 1e-9) * share
    return low - margin, high + margin


def text_size_px(text: str, font_size: float) -> tuple[float, float]:
    """Width and height in pixels of a one-line label, padding included."""
    return (len(text) * font_size * CHAR_WIDTH + 2 * PADDING_PX, font_size * LINE_HEIGHT + 2 * PADDING_PX)


def label_anchors(points: pd.DataFrame, group: str) -> pd.DataFrame:
    """group, x, y, size: one row per group, at the median of its points (robust to a few far-off members),
    largest group first."""
    grouped = points.groupby(group, sort=False)
    anchors = pd.DataFrame({"x": grouped["x"].median(), "y": grouped["y"].median(), "size": grouped.size()})
    anchors = anchors.rename_axis(group).reset_index()
    return anchors.sort_values(["size", group], ascending=[False, True], kind="stable").reset_index(drop=True)


def _free(candidates: np.ndarray, placed: np.ndarray, viewport: Viewport) -> np.ndarray:
    """Which candidate boxes (k, 4: x0, y0, x1, y1) lie inside the plot and overlap no placed box (m, 4)."""
    inside = ((candidates[:, 0] >= viewport.x_range[0]) & (candidates[:, 2] <= viewport.x_range[1])
              & (candidates[:, 1] >= viewport.y_range[0]) & (candidates[:, 3] <= viewport.y_range[1]))
    if not len(placed):
        return inside
    overlap = ((candidates[:, None, 0] < placed[None, :, 2]) & (placed[None, :, 0] < candidates[:, None, 2])
               & (candidates[:, None, 1] < placed[None, :, 3]) & (placed[None, :, 1] < candidates[:, None, 3]))
    return inside & ~overlap.any(axis=1)


def _ring(ring: int) -> np.ndarray:
    """Unit offsets of the positions tried on one ring (the centre alone for ring 0), more on wider rings."""
    if ring == 0:
        return np.zeros((1, 2))
    angles = np.linspace(0, 2 * np.pi, RING_ANGLES * min(ring, 4), endpoint=False)
    return ring * np.column_stack([np.cos(angles), np.sin(angles)])


def place_labels(anchors: pd.DataFrame, texts: list[str], viewport: Viewport, font_size: float) -> pd.DataFrame:
    """Label centres (x, y) and boxes (x0, y0, x1, y1) in data units, in the order of `anchors`.

    `placed` is False for a label that found no free spot within MAX_RINGS rings; its row keeps the anchor.
    """
    per_px_x, per_px_y = viewport.data_per_px()
    step = max(per_px_x, per_px_y) * font_size * 0.9  # ring spacing: about one line of text
    placed = np.empty((0, 4))
    rows = []
    for (x, y), text in zip(anchors[["x", "y"]].to_numpy(dtype=float), texts):
        width_px, height_px = text_size_px(text, font_size)
        half = np.array([width_px * per_px_x / 2, height_px * per_px_y / 2])
        found = None
        for ring in range(MAX_RINGS + 1):
            centres = np.array([x, y]) + _ring(ring) * step
            boxes = np.hstack([centres - half, centres + half])
            free = np.flatnonzero(_free(boxes, placed, viewport))
            if len(free):
                found = boxes[free[0]]
                break
        if found is not None:
            placed = np.vstack([placed, found])
            box, ok = found, True
        else:
            box, ok = np.array([x - half[0], y - half[1], x + half[0], y + half[1]]), False
        rows.append({"x": (box[0] + box[2]) / 2, "y": (box[1] + box[3]) / 2, "x0": box[0], "y0": box[1],
                     "x1": box[2], "y1": box[3], "placed": ok})
    return pd.DataFrame(rows, columns=["x", "y", "x0", "y0", "x1", "y1", "placed"])
