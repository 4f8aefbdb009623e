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


def _overlaps(box: np.ndarray, placed: list[np.ndarray]) -> bool:
    return any(box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]
               for other in placed)


def _inside(box: np.ndarray, viewport: Viewport) -> bool:
    return (box[0] >= viewport.x_range[0] and box[2] <= viewport.x_range[1]
            and box[1] >= viewport.y_range[0] and box[3] <= viewport.y_range[1])


def place_labels(anchors: pd.DataFrame, texts: list[str], viewport: Viewport, font_size: float) -> pd.DataFrame:
    """Label centres (x, y) and boxes (x0, y0, x1, y1) in data units, in the order of `anchors`.

    `placed` is False for a label that found no free spot within MAX_RINGS rings; its row keeps the anchor.
    """
    per_px_x, per_px_y = viewport.data_per_px()
    step = max(per_px_x, per_px_y) * font_size * 0.9  # ring spacing: about one line of text
    placed_boxes: list[np.ndarray] = []
    rows = []
    for (x, y), text in zip(anchors[["x", "y"]].to_numpy(dtype=float), texts):
        width_px, height_px = text_size_px(text, font_size)
        half_w, half_h = width_px * per_px_x / 2, height_px * per_px_y / 2
        found = None
        for ring in range(MAX_RINGS + 1):
            angles = [0.0] if ring == 0 else np.linspace(0, 2 * np.pi, RING_ANGLES * min(ring, 4), endpoint=False)
            for angle in angles:
                cx, cy = x + ring * step * np.cos(angle), y + ring * step * np.sin(angle)
                box = np.array([cx - half_w, cy - half_h, cx + half_w, cy + half_h])
                if _inside(box, viewport) and not _overlaps(box, placed_boxes):
                    found = (cx, cy, box)
                    break
            if found:
                break
        if found:
            placed_boxes.append(found[2])
            rows.append({"x": found[0], "y": found[1], "x0": found[2][0], "y0": found[2][1], "x1": found[2][2],
                         "y1": found[2][3], "placed": True})
        else:
            rows.append({"x": x, "y": y, "x0": x - half_w, "y0": y - half_h, "x1": x + half_w, "y1": y + half_h,
                         "placed": False})
    return pd.DataFrame(rows, columns=["x", "y", "x0", "y0", "x1", "y1", "placed"])
