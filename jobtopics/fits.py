"""Fitted maps, kept by content: when an export barely changed, the previous map is reused.

A fitted map (sweep, UMAP, HDBSCAN, topics, labels) lives in results/fit/<id>/, where <id> is a hash of
its title set and of the settings that made the vectors. A clean run always fits on the current titles.
A rerun reuses the closest existing map when at most `refit_share` of the current titles are new or
gone; the new titles are then placed onto it (jobtopics.place), so categories stay put across reruns.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .llm import EMBEDDED_MODEL_ID, GENERATION_PARAMETERS
from .place import rows_in

log = logging.getLogger(__name__)

ID_LENGTH = 12
FIT_ID_PATTERN = f"[0-9a-f]{{{ID_LENGTH}}}"
FIT_INFO = "fit.json"
# What the stage_fit step writes into a new map's folder (fit.json last).
FIT_INPUTS = ("titles.parquet", "descriptions.parquet", "embeddings.npy", "level_free.npy", FIT_INFO)
# Vectors of the same text from the same model are bit-identical (embedding cache); anything larger means the
# embedding or the enrichment changed since the map was fitted.
VECTOR_TOLERANCE = 1e-4



def vector_fingerprint(embed: dict, enrich_mode: str, llm: dict) -> dict:
    """The settings that make a map's vectors (embed.*, the resolved enrich.mode and, when titles are described by
    an LLM, its model and the generation parameters that key its answers): a map fitted under others is never
    reused, and a change of them gives a new map id. Other llm keys (the endpoint's address, a request budget)
    change no cached answer; when they change descriptions all the same, the vectors tell (vectors_unchanged)."""
    fingerprint = {
        "embed_model": embed["model"],
        "embed_local_language": embed["local_language"],
        "embed_text": embed["text"],
        "enrich": enrich_mode,
        # Without base_url the embedded model answers, whatever llm.model says.
        "llm_model": (llm["model"] if llm["base_url"] else EMBEDDED_MODEL_ID) if enrich_mode == "llm" else "",
    }
    if enrich_mode == "llm":
        fingerprint["llm_generation"] = {key: llm[key] for key in GENERATION_PARAMETERS}
    return fingerprint

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
    titles_in_fit: int
    titles_now: int
    new_titles: int
    gone_titles: int
    reason: str
    # The map a fit on the current titles would have: what a run falls back to when the reused map's inputs are gone.
    own_fit: str
    # The refit's own id holds a map of these very titles made from other vectors: it must be set aside first.
    stale: bool = False


@dataclass(frozen=True)
class ExistingFit:
    fit: str
    fingerprint: dict
    title_keys: frozenset


def _percent(share: float) -> str:
    return f"{share * 100:.3g}%"


def choose_fit(current_keys, fingerprint: dict, existing: list[ExistingFit], refit_share: float,
               vectors_unchanged: Callable[[ExistingFit], bool] = lambda fit: True) -> FitChoice:
    """Reuse the existing fit closest to the current titles if few enough changed, else fit anew.

    Changed titles = new ones plus gone ones, as a share of the current unique titles; ties go to the
    lowest id so the choice does not depend on directory order. A fit is reused only if the titles it
    shares with the current run still have the same vectors (`vectors_unchanged`).
    """
    current = frozenset(current_keys)
    n = len(current)
    own = fit_id(current, fingerprint)
    candidates = sorted(
        ((len(current - fit.title_keys) + len(fit.title_keys - current), fit.fit, fit)
         for fit in existing if fit.fingerprint == fingerprint),
        key=lambda row: (row[0], row[1]))
    if candidates:
        changed, _, closest = candidates[0]
        new, gone = len(current - closest.title_keys), len(closest.title_keys - current)
        share = changed / max(n, 1)
        # An empty map has nothing to place new titles by.
        reusable = (changed == 0 or share <= refit_share) and bool(closest.title_keys)
        if reusable and not vectors_unchanged(closest):
            reason = ("the titles shared with the closest fitted map have other vectors now (embedding or "
                      "enrichment changed): refit")
            if closest.fit == own:
                return FitChoice(own, True, n, n, new, gone, reason, own, stale=True)
        elif reusable and changed == 0:
            return FitChoice(closest.fit, False, len(closest.title_keys), n, 0, 0, "same titles as the fitted map", own)
        elif reusable:
            return FitChoice(closest.fit, False, len(closest.title_keys), n, new, gone,
                             f"{share:.1%} of the titles changed (update.refit_share {_percent(refit_share)}): "
                             "new titles placed onto the fitted map", own)
        else:
            reason = (f"{share:.1%} of the titles changed since the closest fitted map "
                      f"(update.refit_share {_percent(refit_share)}): refit")
    else:
        new, gone = n, 0
        reason = "no fitted map with these settings yet: fit"
    return FitChoice(own, True, n, n, new, gone, reason, own)


def existing_fits(root: Path) -> list[ExistingFit]:
    """Every fit folder under root with all its inputs; folders that are not fits, lost an input (deleted by hand)
    or cannot be read are skipped."""
    fits = []
    for info_path in sorted(root.glob(f"*/{FIT_INFO}")):
        folder = info_path.parent
        if not re.fullmatch(FIT_ID_PATTERN, folder.name):
            continue
        missing = [name for name in FIT_INPUTS if not (folder / name).exists()]
        if missing:
            log.warning("fit %s skipped: %s missing", folder.name, ", ".join(missing))
            continue
        try:
            info = json.loads(info_path.read_text(encoding="utf-8"))
            keys = pd.read_parquet(folder / "titles.parquet", columns=["title_key"])["title_key"]
        except (OSError, ValueError, KeyError) as error:
            log.warning("fit %s skipped: it cannot be read (%s)", folder.name, error)
            continue
        fits.append(ExistingFit(folder.name, info.get("fingerprint"), frozenset(keys)))
    return fits


def vectors_unchanged(folder: Path, title_keys: pd.Series, vectors: np.ndarray,
                      comparable: np.ndarray | None = None, spellings: pd.Series | None = None) -> bool:
    """Whether the titles the fit shares with the current run have the same vectors in both; only the rows where
    `comparable` is true count (all when None). With `spellings` (the current titles as shown, in title_keys'
    order), a title now written the way more of its people write it ("Data engineer" -> "Data Engineer") does not
    count either: its text changed, not the embedding, and the map keeps the vector it was fitted with."""
    fitted = pd.read_parquet(folder / "titles.parquet", columns=["title_key", "title"])
    fitted_vectors = np.load(folder / "embeddings.npy")
    shared = rows_in(fitted["title_key"], title_keys)
    here = shared.notna().to_numpy() & (True if comparable is None else np.asarray(comparable, dtype=bool))
    if spellings is not None and here.any():
        same_text = np.zeros(len(here), dtype=bool)
        rows = shared[here].astype(int).to_numpy()
        same_text[here] = fitted["title"].to_numpy()[rows] == pd.Series(spellings).to_numpy()[here]
        here &= same_text
    if not here.any():
        return True
    if fitted_vectors.shape[1:] != vectors.shape[1:]:
        return False
    there = shared[here].astype(int).to_numpy()
    return bool(np.abs(fitted_vectors[there] - vectors[here]).max() <= VECTOR_TOLERANCE)



def set_aside_stale_fit(root: Path, fit: str, logs: Path | None = None) -> Path | None:
    """Move results/fit/<fit> (and its logs folder, when given) to <fit>-stale-<n>: a map of these very titles made
    from other vectors (FitChoice.stale), whose id the refit needs, as a map's inputs are never rewritten under one
    name. Nothing is deleted; existing_fits skips the renamed folder. Returns where it went (None: nothing there)."""
    folder = root / fit
    if not folder.exists():
        return None
    number = 1
    while (root / f"{fit}-stale-{number}").exists():
        number += 1
    target = root / f"{fit}-stale-{number}"
    folder.rename(target)
    if logs is not None and (logs / fit).exists():
        (logs / fit).rename(logs / target.name)
    log.warning("fit %s: it was fitted on these titles with other vectors; kept as %s, fitting anew", fit,
                target.name)
    return target

def write_fit_inputs(folder: Path, fingerprint: dict, titles: pd.DataFrame, descriptions: pd.DataFrame,
                     embeddings: np.ndarray, level_free: np.ndarray) -> None:
    """A fitted map's inputs (the stage_fit step's outputs); fit.json comes last, so a folder without it, left
    by a killed run, is never taken for a fit (existing_fits) and Snakemake writes it again."""
    folder.mkdir(parents=True, exist_ok=True)
    titles.to_parquet(folder / "titles.parquet", index=False)
    descriptions.to_parquet(folder / "descriptions.parquet", index=False)
    np.save(folder / "embeddings.npy", embeddings)
    np.save(folder / "level_free.npy", level_free)  # the same titles without rank words (label step)
    (folder / FIT_INFO).write_text(json.dumps({"fingerprint": fingerprint, "titles": len(titles)}, indent=1),
                                   encoding="utf-8")
