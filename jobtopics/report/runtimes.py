"""Per-step runtimes from Snakemake's benchmark files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd


# Snakemake samples a step's memory when it starts, then every half second (every 30 s once the step has run a
# while): a step that ends within half a second has only the first sample, taken before the script has loaded
# anything (0.2 MB for a step that imports pandas).
MEMORY_SAMPLING_S = 0.5


def read_runtimes(paths: list[str]) -> list[dict]:
    rows = []
    for path in paths:
        table = pd.read_csv(path, sep="\t")
        if table.empty:
            continue
        seconds = _number(table, "s")
        sampled = seconds is not None and seconds >= MEMORY_SAMPLING_S
        rows.append({
            "Step": Path(path).stem,
            "Wall time (s)": seconds,
            "Peak memory (MB)": _number(table, "max_rss") if sampled else None,
        })
    return rows


def _number(table: pd.DataFrame, column: str) -> float | None:
    """Snakemake writes '-' where it could not measure a value."""
    if column not in table:
        return None
    value = pd.to_numeric(table[column].iloc[-1], errors="coerce")
    return None if pd.isna(value) else round(float(value), 1)
