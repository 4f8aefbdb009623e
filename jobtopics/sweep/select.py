"""The selection rule that turns the sweep's evidence into one recommended setting.

1. Shortlist the settings that are stable across seeds (mean ARI >= min_stability),
   keep outliers in check (mean outlier share <= max_outlier_share), yield at
   least min_topics topics and no topic above max_largest_share of the titles.
   If none pass, relax: keep the most stable quarter of the settings within the
   outlier cap and the largest-topic cap (each cap where some setting meets it).
2. Among the shortlist, take the setting whose categories separate best: the mean silhouette (cosine, in the
   embedding space) of the categories its most typical run would ship (jobtopics.grouping: the label step's
   grouping and the outliers step replayed on that run). The topics are a means; the categories are what a
   reader sees. On the quality benchmark this tracked the truth better than term quality did
   (docs/benchmarks.md, "The sweep's pick against its grid").
3. Ties, and a sweep run without the categories' evidence, go to the best topic quality: coherence x diversity,
   with coherence = (NPMI + 1) / 2 so both factors lie in [0, 1]; then to the lower outlier share, then to the
   first setting in grid order.
4. The seed is the setting's most typical run: the one agreeing best (ARI) with its other seeds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .grid import CLUSTER_PARAMS, SETTING_PARAMS, SPACE_PARAMS


@dataclass(frozen=True)
class SelectionRule:
    min_stability: float
    max_outlier_share: float
    min_topics: int
    max_largest_share: float = 1.0

    @classmethod
    def from_config(cls, selection: dict) -> "SelectionRule":
        return cls(float(selection["min_stability"]), float(selection["max_outlier_share"]),
                   int(selection["min_topics"]), float(selection["max_largest_share"]))


def quality_score(settings: pd.DataFrame) -> pd.Series:
    score = (settings["npmi"] + 1) / 2 * settings["diversity"]
    return score.fillna(-math.inf)


def shortlist(settings: pd.DataFrame, rule: SelectionRule) -> tuple[pd.DataFrame, bool]:
    """(shortlisted settings, whether the rule had to be relaxed)."""
    passing = settings[(settings["stability_ari"].fillna(1.0) >= rule.min_stability)
                       & (settings["outlier_share"] <= rule.max_outlier_share)
                       & (settings["n_topics"] >= rule.min_topics)
                       & (settings["largest_share"] <= rule.max_largest_share)]
    if len(passing):
        return passing, False
    pool = settings
    # A fallback must not pick a setting whose topics are mostly grey, or one topic that swallows the network.
    for within_cap in (settings["outlier_share"] <= rule.max_outlier_share,
                       settings["largest_share"] <= rule.max_largest_share):
        if within_cap[pool.index].any():
            pool = pool[within_cap[pool.index]]
    keep = max(1, math.ceil(len(pool) / 4))
    return pool.sort_values("stability_ari", ascending=False, kind="stable").head(keep), True


def choose_setting(settings: pd.DataFrame, rule: SelectionRule,
                   separation: Callable[[dict], float] | None = None) -> tuple[dict, pd.DataFrame, bool]:
    """(chosen setting row, ranked shortlist, relaxed). separation: a shortlisted setting's category silhouette."""
    if settings.empty:
        raise ValueError("the sweep produced no settings to choose from")
    candidates, relaxed = shortlist(settings.reset_index(drop=True), rule)
    ranked = candidates.assign(score=quality_score(candidates), grid_order=candidates.index)
    order, ascending = ["score", "outlier_share", "grid_order"], [False, True, True]
    if separation is not None:
        ranked["category_silhouette"] = [separation(row) for row in ranked.to_dict("records")]
        ranked["_separation"] = ranked["category_silhouette"].fillna(-math.inf)
        order, ascending = ["_separation", *order], [False, *ascending]
    ranked = ranked.sort_values(order, ascending=ascending, kind="stable")
    return ranked.iloc[0].to_dict(), ranked.drop(columns="_separation", errors="ignore"), relaxed


def representative_seed(stability: pd.DataFrame, setting: dict, seeds: list[int]) -> int:
    """The seed whose run agrees best with the setting's other seeds (lowest seed on ties)."""
    seeds = sorted(int(seed) for seed in seeds)
    if len(seeds) < 2:
        return seeds[0]
    same = np.ones(len(stability), dtype=bool)
    for name in SETTING_PARAMS:
        same &= stability[name].to_numpy() == setting[name]
    pairs = stability[same]
    mean_ari = {seed: pairs.loc[(pairs["seed_a"] == seed) | (pairs["seed_b"] == seed), "ari"].mean() for seed in seeds}
    return max(seeds, key=lambda seed: (mean_ari[seed], -seed))


def recommend(settings: pd.DataFrame, stability: pd.DataFrame, seeds: list[int], rule: SelectionRule,
              separation: Callable[[dict, int], float] | None = None) -> dict:
    """The recommended setting and seed. separation(setting, seed): the category silhouette of that run."""
    def typical_run_separation(setting: dict) -> float:
        return separation(setting, representative_seed(stability, setting, seeds))

    chosen, candidates, relaxed = choose_setting(settings, rule, typical_run_separation if separation else None)
    seed = representative_seed(stability, chosen, seeds)
    reduce = {name: chosen[name] for name in SPACE_PARAMS if name != "seed"}
    reduce["seed"] = seed
    if separation is not None:
        why = (f"among them this one's categories separate best (silhouette {chosen['category_silhouette']:.3f}; "
               f"coherence x diversity {chosen['score']:.3f})")
    else:
        why = f"among them this one has the best coherence x diversity ({chosen['score']:.3f})"
    reason = (
        f"{len(candidates)} of {len(settings)} settings "
        + ("passed no threshold, so the most stable quarter (within the outlier and largest-topic caps where possible) "
           "was kept" if relaxed else
           f"have seed stability ARI >= {rule.min_stability:g}, outlier share <= {rule.max_outlier_share:.0%}, "
           f">= {rule.min_topics} topics and no topic above {rule.max_largest_share:.0%} of the titles")
        + f"; {why}; seed {seed} is its most typical run."
    )
    shortlist_columns = [*SETTING_PARAMS, "score", *(["category_silhouette"] if separation is not None else [])]
    return {
        "reduce": {"n_neighbors": int(reduce["n_neighbors"]), "min_dist": float(reduce["min_dist"]),
                   "n_components": int(reduce["n_components"]), "seed": int(seed)},
        "cluster": {name: int(chosen[name]) for name in CLUSTER_PARAMS},
        "metrics": {key: (None if isinstance(value, float) and math.isnan(value) else value)
                    for key, value in chosen.items() if key not in SETTING_PARAMS and key != "grid_order"},
        "shortlisted": int(len(candidates)),
        "shortlist": [{key: (None if isinstance(value, float) and math.isnan(value) else value)
                       for key, value in row.items()} for row in candidates[shortlist_columns].to_dict("records")],
        "settings": int(len(settings)),
        "relaxed": bool(relaxed),
        "reason": reason,
    }
