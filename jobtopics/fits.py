"""Fitted maps, kept by content: when an export barely changed, the previous map is reused.

A fitted map (sweep, UMAP, HDBSCAN, topics, labels) lives in results/fit/<id>/, where <id> is a hash of
its title set and of the settings that made the vectors. A clean run always fits on the current titles.
A rerun reuses the closest existing map when at most `refit_share` of the current titles are new or
gone; the new titles are then placed onto it (jobtopics.place), so categories stay put across reruns.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ID_LENGTH = 12
FIT_INPUTS = ("titles.parquet", "descriptions.parquet", "embeddings.npy")
FIT_INFO = "fit.json"


def fit_id(title_keys, fingerprint: dict) -> str:
    """Same titles (in any order) and same vector settings give the same id."""
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode())
    for key in sorted(set(title_keys)):
        digest.update(key.encode("utf-8") + b"\0")
    return digest.hexdigest()[:ID_LENGTH]


@dataclass(frozen=True)
class FitChoice:
    fit: str
    refit: bool
    fitted_titles: int
    current_titles: int
    new_titles: int
    gone_titles: int
    reason: str


@dataclass(frozen=True)
class ExistingFit:
    fit: str
    fingerprint: dict
    title_keys: frozenset


def choose_fit(current_keys, fingerprint: dict, existing: list[ExistingFit], refit_share: float) -> FitChoice:
    """Reuse the existing fit closest to the current titles if few enough changed, else fit anew.

    Changed titles = new ones plus gone ones, as a share of the current unique titles; ties go to the
    lowest id so the choice does not depend on directory order.
    """
    current = frozenset(current_keys)
    n = len(current)
    candidates = sorted(
        ((len(current - fit.title_keys) + len(fit.title_keys - current), fit.fit, fit)
         for fit in existing if fit.fingerprint == fingerprint),
        key=lambda row: (row[0], row[1]))
    if candidates:
        changed, _, closest = candidates[0]
        new, gone = len(current - closest.title_keys), len(closest.title_keys - current)
        share = changed / max(n, 1)
        if changed == 0:
            return FitChoice(closest.fit, False, len(closest.title_keys), n, 0, 0, "same titles as the fitted map")
        if share <= refit_share and closest.title_keys:  # nothing to place new titles by on an empty map
            return FitChoice(closest.fit, False, len(closest.title_keys), n, new, gone,
                             f"{share:.1%} of the titles changed (update.refit_share {refit_share:.0%}): "
                             "new titles placed onto the fitted map")
        reason = (f"{share:.1%} of the titles changed since the closest fitted map "
                  f"(update.refit_share {refit_share:.0%}): refit")
    else:
        new, gone = n, 0
        reason = "no fitted map with these settings yet: fit"
    return FitChoice(fit_id(current, fingerprint), True, n, n, new, gone, reason)


def existing_fits(root: Path) -> list[ExistingFit]:
    """Every complete fit folder under root (an interrupted copy has no fit.json and is ignored)."""
    fits = []
    for info_path in sorted(root.glob(f"*/{FIT_INFO}")):
        info = json.loads(info_path.read_text(encoding="utf-8"))
        keys = pd.read_parquet(info_path.parent / "titles.parquet", columns=["title_key"])["title_key"]
        fits.append(ExistingFit(info_path.parent.name, info["fingerprint"], frozenset(keys)))
    return fits


def save_fit_inputs(root: Path, choice: FitChoice, fingerprint: dict, titles: pd.DataFrame,
                    descriptions: pd.DataFrame, embeddings: np.ndarray) -> Path:
    """Write a new fit's inputs atomically (folder renamed into place); an existing fit is never touched."""
    folder = root / choice.fit
    if (folder / FIT_INFO).exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{choice.fit}-", dir=root))
    titles.to_parquet(staging / "titles.parquet", index=False)
    descriptions.to_parquet(staging / "descriptions.parquet", index=False)
    np.save(staging / "embeddings.npy", embeddings)
    (staging / FIT_INFO).write_text(json.dumps({"fingerprint": fingerprint, "titles": len(titles)}, indent=1),
                                    encoding="utf-8")
    if folder.exists():  # a half-written folder from an interrupted run: its outputs cannot be trusted
        shutil.rmtree(folder)
    os.replace(staging, folder)
    return folder


def choice_record(choice: FitChoice) -> dict:
    return asdict(choice)
