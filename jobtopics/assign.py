"""Map the per-title results back to every person in the export."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .names import NO_TITLE, UNCATEGORIZED

ASSIGNMENT_COLUMNS = ["id", "position", "company", "connected_on", "title", "topic", "topic_label", "category", "x", "y"]


def assign_people(people: pd.DataFrame, person_titles: pd.DataFrame, titles: pd.DataFrame, labels: np.ndarray,
                  map_points: np.ndarray, topic_categories: pd.DataFrame) -> pd.DataFrame:
    """One row per input row; people without a usable title get category 'No job title' and no map point."""
    per_title = titles[["title_key", "title"]].copy()
    per_title["topic"] = labels.astype("int64")
    per_title["x"] = map_points[:, 0] if len(map_points) else np.array([], dtype=np.float32)
    per_title["y"] = map_points[:, 1] if len(map_points) else np.array([], dtype=np.float32)
    per_title = per_title.merge(topic_categories, on="topic", how="left")
    if per_title["category"].isna().any():
        raise ValueError("a topic has no category; the label step's output does not match the clusters")
    people = people.merge(person_titles, on="id", how="left", validate="one_to_one")
    merged = people.merge(per_title, on="title_key", how="left")
    no_title = merged["title"].isna()
    merged.loc[no_title, ["topic_label", "category"]] = NO_TITLE
    merged["topic"] = merged["topic"].astype("Int64")
    return merged[ASSIGNMENT_COLUMNS]


def category_order(assignments: pd.DataFrame) -> list[str]:
    """Categories by decreasing number of people; Uncategorized last (it is drawn first, beneath)."""
    mapped = assignments[assignments["category"] != NO_TITLE]
    counts = mapped.groupby("category").size().sort_values(ascending=False, kind="stable")
    names = sorted(counts.index, key=lambda c: (c == UNCATEGORIZED, -counts[c], c))
    return names
