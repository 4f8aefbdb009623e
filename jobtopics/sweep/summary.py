"""Across cells: term metrics, stability across seeds, and one row per setting."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .grid import CELL_PARAMS, SETTING_PARAMS
from .compare import agreement
from .metrics import TermSpace, term_metrics


def add_term_metrics(cells: pd.DataFrame, labels: dict[tuple, np.ndarray], documents: list[str],
                     top_n: int) -> pd.DataFrame:
    """`labels` maps a cell's parameter tuple (CELL_PARAMS order) to its labels."""
    term_space = TermSpace(documents)
    rows = [term_metrics(term_space, labels[cell_id(cell)], top_n) for cell in cells.to_dict("records")]
    return pd.concat([cells.reset_index(drop=True), pd.DataFrame(rows)], axis=1)


def cell_id(cell: dict) -> tuple:
    return tuple(cell[name] for name in CELL_PARAMS)


def seed_agreement(cells: pd.DataFrame, labels: dict[tuple, np.ndarray]) -> pd.DataFrame:
    """Pairwise ARI/AMI between the seeds of each setting."""
    rows = []
    for setting, group in cells.groupby(list(SETTING_PARAMS), sort=True):
        runs = group.sort_values("seed").to_dict("records")
        for first, second in itertools.combinations(runs, 2):
            scores = agreement(labels[cell_id(first)], labels[cell_id(second)])
            rows.append({**dict(zip(SETTING_PARAMS, setting)), "seed_a": first["seed"], "seed_b": second["seed"],
                         **scores})
    return pd.DataFrame(rows, columns=[*SETTING_PARAMS, "seed_a", "seed_b", "ari", "ami"])


MEAN_METRICS = ["n_topics", "outlier_share", "largest_share", "size_gini", "silhouette", "dbcv", "npmi", "diversity"]


def setting_table(cells: pd.DataFrame, stability: pd.DataFrame) -> pd.DataFrame:
    """One row per setting: metrics averaged over seeds (with the spread of n_topics and outliers) + stability."""
    grouped = cells.groupby(list(SETTING_PARAMS), sort=True)
    table = grouped[MEAN_METRICS].mean()
    table["n_topics_sd"] = grouped["n_topics"].std(ddof=0)
    table["outlier_share_sd"] = grouped["outlier_share"].std(ddof=0)
    table["n_seeds"] = grouped["seed"].nunique()
    if len(stability):
        pairs = stability.groupby(list(SETTING_PARAMS), sort=True)[["ari", "ami"]].mean()
        table = table.join(pairs.rename(columns={"ari": "stability_ari", "ami": "stability_ami"}))
    else:
        table["stability_ari"] = np.nan
        table["stability_ami"] = np.nan
    return table.reset_index()
