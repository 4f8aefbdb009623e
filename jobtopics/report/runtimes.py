"""Per-step runtimes from Snakemake's benchmark files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_runtimes(paths: list[str]) -> list[dict]:
    rows = []
    for path in paths:
        table = pd.read_csv(path, sep="\t")
        if table.empty:
            continue
        rows.append({
            "Step": Path(path).stem,
            "Wall time (s)": _number(table, "s"),
            "Peak memory (MB)": _number(table, "max_rss"),
        })
    return rows


def _number(table: pd.DataFrame, column: str) -> float | None:
    """Snakemake writes '-' where it could not measure a value."""
    if column not in table:
        return None
    value = pd.to_numeric(table[column].iloc[-1], errors="coerce")
    return None if pd.isna(value) else round(float(value), 1)
