"""The text that stands for each unique title in embedding and topic terms."""

from __future__ import annotations

import pandas as pd

from .errors import InputError


def embedding_texts(titles: pd.DataFrame, descriptions: pd.DataFrame, text: str) -> list[str]:
    """The text embedded per title, in the titles' (stable) order."""
    merged = titles[["title_key", "title"]].merge(descriptions[["title_key", "description"]], on="title_key", how="left")
    if merged["description"].isna().any():
        missing = merged.loc[merged["description"].isna(), "title"].iloc[0]
        raise InputError(f"descriptions table has no entry for title {missing!r}; rerun the enrich step")
    if text == "title":
        return merged["title"].tolist()
    if text == "description":
        return merged["description"].tolist()
    # The title keeps its own signal even when a small model's description is weak.
    return [t if d == t else f"{t}: {d}" for t, d in zip(merged["title"], merged["description"])]
