"""CSV injection: formula-like cells get an apostrophe; numbers, other text and non-text cells stay as they are."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from jobtopics.tables import spreadsheet_safe, spreadsheet_safe_frame, write_csv_safely


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","Data Scientist")', "+SUM(1,1) Analyst", "@cmd", "=1+1",
                                  "-2+3", "\tTabbed", "\rReturned", "-", "+", "=", "@", "- Data Scientist",
                                  "+1 555 0100", "-3.5 degrees", "=x"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["-3.5", "+1", "-0", "-.5", "+2.", "-1e-5", "3.5", "Data Scientist", "",
                                  "'=already quoted", " =leading space", "C++ Developer", "R&D - Lead",
                                  "Analyst (=)", "Müller"])
def test_plain_numbers_and_ordinary_text_stay(text):
    assert spreadsheet_safe(text) == text


@pytest.mark.parametrize("value", [None, np.nan, pd.NA, -3.5, -1, True, pd.Timestamp("2021-03-29")])
def test_non_text_values_stay(value):
    assert spreadsheet_safe(value) is value


def test_frame_columns_of_every_text_dtype_are_neutralised_and_rows_kept():
    table = pd.DataFrame({
        "title": pd.array(["=1+1", "Nurse", None], dtype="string"),
        "company": ["@cmd", "-5", np.nan],
        "x": [-1.5, 2.0, -3.0],
        "n": [-1, 2, 3],
    })
    safe = spreadsheet_safe_frame(table)
    assert safe["title"].tolist()[:2] == ["'=1+1", "Nurse"] and pd.isna(safe["title"].iloc[2])
    assert safe["company"].tolist()[:2] == ["'@cmd", "-5"] and pd.isna(safe["company"].iloc[2])
    assert safe["x"].equals(table["x"]) and safe["n"].equals(table["n"])
    assert table["title"].iloc[0] == "=1+1", "the caller's table is not modified"


def test_written_csv_reads_back_as_apostrophe_plus_original(tmp_path):
    originals = ['=HYPERLINK("http://x","Data Scientist")', "+SUM(1,1) Analyst", "@cmd", "=1+1", "Nurse", "-3.5"]
    table = pd.DataFrame({"position": originals, "x": [-1.0, 0.5, 2.0, -3.25, 4.0, 5.0]})
    path = tmp_path / "out.csv"
    write_csv_safely(table, path)
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(originals)
    assert [row["position"] for row in rows] == ["'" + text for text in originals[:4]] + ["Nurse", "-3.5"]
    assert [float(row["x"]) for row in rows] == table["x"].tolist()


def test_write_csv_safely_passes_options_through(tmp_path):
    path = tmp_path / "out.tsv"
    write_csv_safely(pd.DataFrame({"a": ["=x"]}), path, sep="\t")
    assert path.read_text(encoding="utf-8") == "a\n'=x\n"
