"""Tables about the network itself: growth over time, employers per category.

Only categories, years and company names are used; never a person's name.
"""

from __future__ import annotations

import re

import pandas as pd

from ..assign import category_order
from ..names import NO_TITLE, OTHER_CATEGORIES, UNCATEGORIZED



def _years(assignments: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(assignments["connected_on"], errors="coerce").dt.year


def connections_per_year(assignments: pd.DataFrame) -> pd.DataFrame:
    """year, connections (all contacts with a readable date), in year order, gaps filled with 0."""
    years = _years(assignments).dropna().astype(int)
    if years.empty:
        return pd.DataFrame({"year": pd.Series(dtype=int), "connections": pd.Series(dtype=int)})
    counts = years.value_counts().reindex(range(years.min(), years.max() + 1), fill_value=0)
    return pd.DataFrame({"year": counts.index.astype(int), "connections": counts.to_numpy(dtype=int)})


def category_shares_by_year(assignments: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """year, category, people, share (of that year's contacts with a title); small categories pooled."""
    titled = assignments[assignments["category"] != NO_TITLE].assign(year=_years(assignments))
    titled = titled.dropna(subset=["year"])
    if titled.empty:
        return pd.DataFrame(columns=["year", "category", "people", "share"])
    named = [c for c in category_order(titled) if c != UNCATEGORIZED]
    keep = set(named[:top]) | {UNCATEGORIZED}
    grouped = titled.assign(category=titled["category"].where(titled["category"].isin(keep), OTHER_CATEGORIES))
    table = grouped.groupby(["year", "category"]).size().rename("people").reset_index()
    table["year"] = table["year"].astype(int)
    table["share"] = table["people"] / table.groupby("year")["people"].transform("sum")
    return table.sort_values(["year", "category"], kind="stable").reset_index(drop=True)


def _company_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def most_common_spelling(keys: pd.Series, spellings: pd.Series) -> pd.Series:
    """Per key, its most common spelling; ties go to the spelling seen first (as value_counts orders them)."""
    tally = pd.DataFrame({"key": keys.to_numpy(), "spelling": spellings.to_numpy(), "position": range(len(keys))})
    tally = tally.groupby(["key", "spelling"], sort=False)["position"].agg(["size", "min"]).reset_index()
    tally = tally.sort_values(["size", "min"], ascending=[False, True], kind="stable").drop_duplicates("key")
    return tally.set_index("key")["spelling"]


def top_companies(assignments: pd.DataFrame, per_category: int = 5, min_people: int = 2) -> pd.DataFrame:
    """category, company, people: each category's most common employers.

    Companies with fewer than `min_people` contacts in a category are left out, so a row never points
    at a single person. Spellings that differ only in case or spacing count as one company (shown in its
    most common spelling).
    """
    rows = assignments[(assignments["category"] != NO_TITLE) & assignments["company"].fillna("").str.strip().ne("")]
    rows = rows.assign(key=rows["company"].map(_company_key))
    spelling = most_common_spelling(rows["key"], rows["company"].str.strip())
    counts = rows.groupby(["category", "key"]).size().rename("people").reset_index()
    counts = counts[counts["people"] >= min_people]
    order = {name: i for i, name in enumerate(category_order(assignments))}
    counts = counts.assign(rank=counts["category"].map(order), company=counts["key"].map(spelling))
    counts = counts.sort_values(["rank", "people", "company"], ascending=[True, False, True], kind="stable")
    counts = counts.groupby("category", sort=False).head(per_category)
    return counts[["category", "company", "people"]].reset_index(drop=True)
