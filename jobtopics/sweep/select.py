"""The selection rule that turns the sweep's evidence into one recommended setting.

1. Shortlist the settings that are stable across seeds (mean ARI >= min_stability),
   keep outliers in check (mean outlier share <= max_outlier_share), yield at
   least min_topics topics and no topic above max_largest_share of the titles.
   If none pass, relax: keep the most stable quarter of the settings within the
   outlier cap and the largest-topic cap (each cap where some setting meets it).
2. Among the shortlist, take the best topic quality: coherence x diversity, with
   coherence = (NPMI + 1) / 2 so both factors lie in [0, 1].
3. Ties go to the lower outlier share, then to the first setting in grid order.
4. The seed is the setting's most typical run: the one agreeing best (ARI) with its other seeds.
"""

from __future__ import annotations

import math
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


def choose_setting(settings: pd.DataFrame, rule: SelectionRule) -> tuple[dict, pd.DataFrame, bool]:
    """(chosen setting row, shortlist, relaxed)."""
    if settings.empty:
        raise ValueError("the sweep produced no settings to choose from")
    candidates, relaxed = shortlist(settings.reset_index(drop=True), rule)
    ranked = candidates.assign(score=quality_score(candidates), grid_order=candidates.index)
    ranked = ranked.sort_values(["score", "outlier_share", "grid_order"], ascending=[False, True, True], kind="stable")
    return ranked.iloc[0].to_dict(), candidates, relaxed


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


def recommend(settings: pd.DataFrame, stability: pd.DataFrame, seeds: list[int], rule: SelectionRule) -> dict:
    chosen, candidates, relaxed = choose_setting(settings, rule)
    seed = representative_seed(stability, chosen, seeds)
    reduce = {name: chosen[name] for name in SPACE_PARAMS if name != "seed"}
    reduce["seed"] = seed
    reason = (
        f"{len(candidates)} of {len(settings)} settings "
        + ("passed no threshold, so the most stable quarter (within the outlier and largest-topic caps where possible) "
           "was kept" if relaxed else
           f"have seed stability ARI >= {rule.min_stability:g}, outlier share <= {rule.max_outlier_share:.0%}, "
           f">= {rule.min_topics} topics and no topic above {rule.max_largest_share:.0%} of the titles")
        + f"; among them this one has the best coherence x diversity ({chosen['score']:.3f}); "
        f"seed {seed} is its most typical run."
    )
    return {
        "reduce": {"n_neighbors": int(reduce["n_neighbors"]), "min_dist": float(reduce["min_dist"]),
                   "n_components": int(reduce["n_components"]), "seed": int(seed)},
        "cluster": {name: int(chosen[name]) for name in CLUSTER_PARAMS},
        "metrics": {key: (None if isinstance(value, float) and math.isnan(value) else value)
                    for key, value in chosen.items() if key not in SETTING_PARAMS and key != "grid_order"},
        "shortlisted": int(len(candidates)),
        "settings": int(len(settings)),
        "relaxed": bool(relaxed),
        "reason": reason,
    }
