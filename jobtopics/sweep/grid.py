"""The sweep's parameter grid as tables, in the order Snakemake's Paramspace lays out folders.

A *space* is one UMAP reduction (n_neighbors, min_dist, n_components, seed); a *cell*
is a space plus one HDBSCAN setting (min_cluster_size, min_samples); a *setting* is a
cell without its seed — the unit that is compared across seeds for stability.
"""

from __future__ import annotations

import itertools

import pandas as pd

SPACE_PARAMS = ("n_neighbors", "min_dist", "n_components", "seed")
CLUSTER_PARAMS = ("min_cluster_size", "min_samples")
CELL_PARAMS = SPACE_PARAMS + CLUSTER_PARAMS
SETTING_PARAMS = tuple(name for name in CELL_PARAMS if name != "seed")
FLOAT_PARAMS = {"min_dist"}


def _typed(name: str, value) -> float | int:
    return float(value) if name in FLOAT_PARAMS else int(value)


def _product(grid: dict, names: tuple[str, ...]) -> pd.DataFrame:
    values = [sorted({_typed(name, value) for value in grid[name]}) for name in names]
    table = pd.DataFrame(list(itertools.product(*values)), columns=list(names))
    return table.astype({name: ("float64" if name in FLOAT_PARAMS else "int64") for name in names})


def cell_table(grid: dict) -> pd.DataFrame:
    """Every cell of the grid (full cartesian product), sorted, duplicates in the config dropped."""
    return _product(grid, CELL_PARAMS)


def space_table(grid: dict) -> pd.DataFrame:
    return _product(grid, SPACE_PARAMS)


def cluster_table(grid: dict) -> pd.DataFrame:
    return _product(grid, CLUSTER_PARAMS)


def setting_key(cell: dict) -> tuple:
    return tuple(cell[name] for name in SETTING_PARAMS)


def cell_folder(cell: dict) -> str:
    """The cell's folder under the sweep folder, the same string Paramspace builds."""
    space = "/".join(f"{name}~{cell[name]}" for name in SPACE_PARAMS)
    clusters = "_".join(f"{name}~{cell[name]}" for name in CLUSTER_PARAMS)
    return f"{space}/{clusters}"


def grid_neighbors(cells: pd.DataFrame, chosen: dict) -> pd.DataFrame:
    """Cells one grid step away from `chosen` in exactly one setting parameter, same seed."""
    rows = []
    for name in SETTING_PARAMS:
        values = sorted(cells[name].unique().tolist())
        position = values.index(chosen[name])
        for step in (-1, 1):
            if 0 <= position + step < len(values):
                rows.append({**chosen, name: values[position + step], "changed": name})
    return pd.DataFrame(rows, columns=[*CELL_PARAMS, "changed"])
