"""Category colours that stay apart for readers with normal vision and with deuteranopia.

The palette is grown greedily: each next colour is the sRGB grid colour farthest (CIEDE2000) from white,
from the Uncategorized grey and from every colour already taken, where "farthest" is the smaller of the
distance seen with normal vision (in units of 15) and with simulated deuteranopia (in units of 11). Greedy
growth keeps the prefix property: the largest categories, which get the first colours, get the most distinct
ones, and a category's colour does not depend on how many categories there are.

Why two units: a red-green-blind reader's colour space is nearly two-dimensional (lightness and blue-yellow),
so about 11 colours at most can stay 15 apart in it, while normal vision has room for 20+. Measured with this
grid: 10 colours are >= 24 apart (normal) and >= 17 (deuteranopia); 20 colours >= 16.6 and >= 11.2; 30
colours >= 12.5 and >= 9.1. Past that, the names on the map tell categories apart.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..names import UNCATEGORIZED
from .colour_difference import ciede2000, hex_to_rgb, rgb_to_hex, simulate_deuteranopia, srgb_to_lab

UNCATEGORIZED_COLOR = "#d3d3d3"
BACKGROUND = "#ffffff"
PALETTE_SIZE = 30
# Too light a colour vanishes on white, too dark a colour looks black: lightness (CIELAB L*) kept in range.
LIGHTNESS_RANGE = (20.0, 85.0)
GRID_STEPS = 24
NORMAL_UNIT, DEUTERANOPIA_UNIT = 15.0, 11.0


def _seen(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lab as seen with normal vision and with deuteranopia."""
    return srgb_to_lab(rgb), srgb_to_lab(simulate_deuteranopia(rgb))


def _distance_to(candidates: tuple[np.ndarray, np.ndarray], rgb: np.ndarray) -> np.ndarray:
    """For each candidate, the smallest CIEDE2000 to any of rgb, over both visions, each in its own unit."""
    normal, deutan = _seen(rgb)
    return np.minimum(ciede2000(candidates[0][:, None], normal[None]) / NORMAL_UNIT,
                      ciede2000(candidates[1][:, None], deutan[None]) / DEUTERANOPIA_UNIT).min(axis=1)


@lru_cache(maxsize=1)
def distinct_palette(size: int = PALETTE_SIZE) -> tuple[str, ...]:
    steps = np.linspace(0, 1, GRID_STEPS)
    grid = np.array(np.meshgrid(steps, steps, steps, indexing="ij")).reshape(3, -1).T
    lightness = srgb_to_lab(grid)[:, 0]
    grid = grid[(lightness >= LIGHTNESS_RANGE[0]) & (lightness <= LIGHTNESS_RANGE[1])]
    candidates = _seen(grid)
    nearest = _distance_to(candidates, hex_to_rgb([BACKGROUND, UNCATEGORIZED_COLOR]))
    chosen = []
    for _ in range(size):
        best = int(np.argmax(nearest))  # argmax takes the first of ties: deterministic
        chosen.append(best)
        nearest = np.minimum(nearest, _distance_to(candidates, grid[best:best + 1]))
    return tuple(rgb_to_hex(grid[chosen]))


def category_colors(categories: list[str]) -> dict[str, str]:
    """Named categories in the given order (largest first) take the palette in order; Uncategorized is grey.

    Past the palette's size colours repeat (the names on the map still tell such categories apart).
    """
    palette = distinct_palette()
    named = [c for c in categories if c != UNCATEGORIZED]
    colors = {category: palette[i % len(palette)] for i, category in enumerate(named)}
    colors[UNCATEGORIZED] = UNCATEGORIZED_COLOR
    return colors
