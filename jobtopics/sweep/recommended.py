"""Apply the sweep's recommended setting to the main reduce/cluster steps (cluster.params: auto)."""

from __future__ import annotations

import json
from pathlib import Path


def effective_settings(section: dict, name: str, recommended_path: str | None) -> dict:
    """`section` (config's reduce or cluster) with the recommended values for `name` laid over it."""
    if not recommended_path:
        return dict(section)
    recommended = json.loads(Path(recommended_path).read_text(encoding="utf-8"))
    return {**section, **recommended[name]}


SPACE_KEYS = ("n_neighbors", "min_dist", "n_components", "seed")


def matching_space(spaces: list[dict], settings: dict) -> int | None:
    """Index of the sweep space fitted with exactly these UMAP settings, if any (the sweep's own spaces)."""
    for index, space in enumerate(spaces):
        if all(float(space[key]) == float(settings[key]) for key in SPACE_KEYS):
            return index
    return None
