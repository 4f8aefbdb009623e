"""The text that stands for each unique title in embedding and topic terms."""

from __future__ import annotations

import pandas as pd

from .acronyms import spelled_out
from .errors import InputError
from .role import core_role, strip_level


def embedding_texts(titles: pd.DataFrame, descriptions: pd.DataFrame, text: str, *, rank: bool = True) -> list[str]:
    """The text embedded per title, in the titles' (stable) order. rank=False: without rank words and a region
    ("Lead Backend Engineer, EMEA" -> "Backend Engineer"), to tell topics held together by rank
    (jobtopics.categories.rank_held_topics)."""
    merged = titles[["title_key", "title"]].merge(descriptions[["title_key", "description"]], on="title_key", how="left")
    if merged["description"].isna().any():
        missing = merged.loc[merged["description"].isna(), "title"].iloc[0]
        raise InputError(f"descriptions table has no entry for title {missing!r}; rerun the enrich step")
    titles = merged["title"].tolist()
    # role*: a team, an employer and side roles say nothing about the occupation (jobtopics/role.py); an acronym
    # says it only to a reader who knows it (jobtopics/acronyms.py).
    heads = [spelled_out(core_role(title)) for title in titles] if text.startswith("role") else titles
    if not rank:
        heads = [strip_level(head) for head in heads]
    if text in ("title", "role"):
        return heads
    if text == "description":
        return merged["description"].tolist()
    # The title keeps its own signal even when a small model's description is weak.
    return [h if d == t else f"{h}: {d}" for h, t, d in zip(heads, titles, merged["description"])]
