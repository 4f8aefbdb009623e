"""CSV injection in the workflow's own outputs: formula-like titles become text in every CSV the run writes, no row
is lost, and the parquet files and the report keep the original text.

Uses the shared end-to-end run (tests/conftest.py `finished_run`), whose export carries FORMULA_TITLES.
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import pandas as pd
import pytest
from workflow_run import FORMULA_TITLES

from jobtopics.tables import FORMULA_STARTS, spreadsheet_safe

pytestmark = pytest.mark.slow

REPORT_TABLES = ["categories", "companies", "connections-per-year", "category-shares-by-year", "occupation-groups",
                 "sweep-settings"]
# Every CSV a run writes, relative to the run folder; {fit} is the fitted map's folder.
CSV_OUTPUTS = ["results/assignments.csv", "{fit}/sweep/settings.csv", "{fit}/sweep/cells.csv",
               *(f"results/report/post/tables/{name}.csv" for name in REPORT_TABLES)]
# The parquet each CSV was written from, where the run keeps one: the CSV must equal it cell by cell.
SOURCE_PARQUET = {"results/assignments.csv": "results/assignments.parquet",
                  "{fit}/sweep/settings.csv": "{fit}/sweep/settings.parquet",
                  "{fit}/sweep/cells.csv": "{fit}/sweep/cells.parquet",
                  "results/report/post/tables/sweep-settings.csv": "{fit}/sweep/settings.parquet"}


def fit_folder(workdir: Path) -> str:
    choice = json.loads((workdir / "results" / "fit" / "current.json").read_text())
    return f"results/fit/{choice['fit']}"


def read_cells(path: Path) -> list[dict[str, str]]:
    """The CSV as a spreadsheet gets it: every cell a string, nothing parsed."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def is_formula(cell: str) -> bool:
    return spreadsheet_safe(cell) != cell


def test_the_run_writes_no_csv_this_test_does_not_check(finished_run):
    workdir = finished_run[0]
    fit = fit_folder(workdir)
    written = {str(path.relative_to(workdir)) for path in (workdir / "results").rglob("*.csv")}
    checked = {name.format(fit=fit) for name in CSV_OUTPUTS}
    assert written == checked


@pytest.mark.parametrize("output", [
    pytest.param(output, id=output, marks=pytest.mark.reliability("security", f"no live formula in {output}"))
    for output in CSV_OUTPUTS])
def test_every_csv_shows_formulas_as_text(finished_run, output):
    workdir = finished_run[0]
    fit = fit_folder(workdir)
    rows = read_cells(workdir / output.format(fit=fit))
    live = [(number, column, cell) for number, row in enumerate(rows, start=2) for column, cell in row.items()
            if is_formula(cell)]
    assert live == [], f"{output}: cells a spreadsheet would run as formulas"
    if output not in SOURCE_PARQUET:
        return
    source = pd.read_parquet(workdir / SOURCE_PARQUET[output].format(fit=fit))
    assert len(rows) == len(source), "no row may be dropped"
    for column in source.columns:
        if not (pd.api.types.is_object_dtype(source[column]) or pd.api.types.is_string_dtype(source[column])):
            continue
        expected = ["" if pd.isna(value) else spreadsheet_safe(value) for value in source[column]]
        assert [row[column] for row in rows] == expected, column


@pytest.mark.reliability("security", "formula titles: apostrophe in assignments.csv, original text in parquet")
def test_formula_titles_reach_the_csv_as_apostrophe_plus_original(finished_run):
    workdir = finished_run[0]
    rows = read_cells(workdir / "results" / "assignments.csv")
    table = pd.read_parquet(workdir / "results" / "assignments.parquet")
    assert len(rows) == len(table) == len(finished_run[1])
    for title in FORMULA_TITLES:
        assert title.startswith(FORMULA_STARTS)
        assert (table["position"] == title).sum() == 1, title
        assert sum(row["position"] == "'" + title for row in rows) == 1, title
    # Titles keep what survives cleaning ("=1+1" -> "1+1"); any still formula-like carry the apostrophe.
    hostile = table[table["position"].isin(FORMULA_TITLES)]
    assert hostile["title"].notna().all() and hostile["category"].notna().all()
    by_id = {row["id"]: row for row in rows}
    for person in hostile.itertuples():
        assert by_id[person.id]["title"] == spreadsheet_safe(person.title)


@pytest.mark.reliability("security", "formula titles: the report and map show the original text")
def test_report_shows_formula_titles_as_written(finished_run):
    workdir = finished_run[0]
    table = pd.read_parquet(workdir / "results" / "assignments.parquet")
    titles = table.loc[table["position"].isin(FORMULA_TITLES), "title"]
    still_formulas = [title for title in titles if title.startswith(FORMULA_STARTS)]
    assert still_formulas, "no formula-like title survived cleaning: the check below would prove nothing"
    for page in ("report.html", "map.html"):
        text = (workdir / "results" / "report" / page).read_text(encoding="utf-8")
        for title in still_formulas:
            assert html.escape(title) in text, (page, title)
            assert html.escape("'" + title) not in text and "'" + title not in text, (page, title)
