"""How much the people's categories depend on the chosen setting.

The sweep's cells have topics but no LLM categories. Each topic of another cell is
given the main category most of its people hold (its outliers stay Uncategorized);
the change share is then the share of people (with a title) whose category differs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..names import OUTLIER, UNCATEGORIZED


def categories_via_majority(main_categories: np.ndarray, other_topics: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per title: the main category that most people of the title's topic (in the other labeling) hold."""
    frame = pd.DataFrame({"topic": other_topics, "category": main_categories, "weight": weights})
    clustered = frame[frame["topic"] != OUTLIER]
    totals = clustered.groupby(["topic", "category"], sort=True)["weight"].sum().reset_index()
    # Largest weight wins; ties go to the alphabetically first category so the result is stable.
    totals = totals.sort_values(["topic", "weight", "category"], ascending=[True, False, True], kind="stable")
    majority = totals.drop_duplicates("topic").set_index("topic")["category"]
    mapped = frame["topic"].map(majority).where(frame["topic"] != OUTLIER, UNCATEGORIZED)
    return mapped.fillna(UNCATEGORIZED).to_numpy(dtype=object)


def category_change_share(main_categories: np.ndarray, other_topics: np.ndarray, weights: np.ndarray) -> float:
    """Share of people whose category would differ under the other labeling."""
    weights = np.asarray(weights, dtype=float)
    if weights.sum() == 0:
        return 0.0
    mapped = categories_via_majority(main_categories, other_topics, weights)
    return float(weights[mapped != np.asarray(main_categories, dtype=object)].sum() / weights.sum())


def agreement(labels_a: np.ndarray, labels_b: np.ndarray) -> dict:
    """ARI and AMI of two labelings of the same titles (outliers count as one more group)."""
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    return {"ari": float(adjusted_rand_score(labels_a, labels_b)),
            "ami": float(adjusted_mutual_info_score(labels_a, labels_b))}
