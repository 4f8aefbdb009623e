"""The embedding cache: only texts not seen before are embedded; vectors come back in input order."""

from __future__ import annotations

import numpy as np

from jobtopics.embed_cache import cached_embeddings


def fake_embed(calls):
    def embed(texts):
        calls.append(list(texts))
        return np.array([[len(text), text.count("a")] for text in texts], dtype=np.float32)
    return embed


def test_only_new_texts_are_embedded_and_order_is_kept(tmp_path):
    calls = []
    path = tmp_path / "embeddings.sqlite"
    first, computed = cached_embeddings(["aa", "b", "cca"], "m", path, fake_embed(calls))
    assert computed == 3 and first.tolist() == [[2, 2], [1, 0], [3, 1]]
    again, computed = cached_embeddings(["cca", "dddd", "aa"], "m", path, fake_embed(calls))
    assert computed == 1 and calls[-1] == ["dddd"]
    assert again.tolist() == [[3, 1], [4, 0], [2, 2]]


def test_another_model_does_not_reuse_vectors(tmp_path):
    calls = []
    path = tmp_path / "embeddings.sqlite"
    cached_embeddings(["aa"], "model-a", path, fake_embed(calls))
    _, computed = cached_embeddings(["aa"], "model-b", path, fake_embed(calls))
    assert computed == 1
