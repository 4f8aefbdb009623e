"""Writing tables people open in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (CSV injection, OWASP): a job title such as `=HYPERLINK("http://x","CV")`
would become a live link. Every CSV the workflow writes goes through `write_csv_safely`, which prefixes
such cells with an apostrophe, as spreadsheet-safe exporters do; the spreadsheet then shows the text.
Parquet files and the report keep the original text, so steps that read results back read the parquet.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# "-3.5", "+1", "1e-5": a plain number is data in every spreadsheet, never a formula, so it stays as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def spreadsheet_safe(value: object) -> object:
    """The value as a spreadsheet shows it verbatim: formula-like text gets a leading apostrophe.

    Only text is touched; numbers, dates and missing values are returned unchanged.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def spreadsheet_safe_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table with every text cell and column name made spreadsheet-safe."""
    safe = table.copy()
    for column in safe.columns:
        if not (pd.api.types.is_object_dtype(safe[column]) or pd.api.types.is_string_dtype(safe[column])):
            continue  # numeric, boolean and date columns cannot hold a formula
        safe[column] = safe[column].map(spreadsheet_safe, na_action="ignore")
    safe.columns = [spreadsheet_safe(name) for name in safe.columns]
    return safe


def write_csv_safely(table: pd.DataFrame, path: str | Path, **to_csv_options) -> None:
    """Write the table as CSV (no index unless asked) with formula-like cells neutralised."""
    to_csv_options.setdefault("index", False)
    spreadsheet_safe_frame(table).to_csv(path, **to_csv_options)
