"""O*NET's vectors: the shipped ones are what the pinned model gives for today's O*NET texts, and they are only
used for the texts and model they were made from."""

import numpy as np
import pytest

from pathlib import Path

import yaml

from jobtopics.embed import embed_texts, embedding_id
from jobtopics.occupations import (english_title_pool, load_occupations, occupation_texts, occupation_vectors,
                                   shipped_vectors_path, texts_digest)

DEFAULT = yaml.safe_load((Path(__file__).resolve().parents[1] / "config" / "config.yaml").read_text())["embed"]
DEFAULT_EMBEDDING = embedding_id(DEFAULT["model"], DEFAULT["local_language"])


def test_shipped_vectors_match_the_model_on_a_sample_of_occupations():
    occupations = load_occupations()
    with np.load(shipped_vectors_path(DEFAULT_EMBEDDING)) as shipped:
        assert str(shipped["texts_sha256"]) == texts_digest(occupation_texts(occupations)), \
            "O*NET texts changed: run `make onet-vectors`"
        vectors = shipped["vectors"]
    assert vectors.shape == (len(occupations), embed_texts(["Nurse"], DEFAULT["model"]).shape[1])
    sample = np.random.default_rng(0).choice(len(occupations), size=12, replace=False)
    live = embed_texts([occupation_texts(occupations)[i] for i in sample], DEFAULT["model"],
                       local_language=DEFAULT["local_language"], pool=english_title_pool())
    np.testing.assert_allclose(vectors[sample], live, atol=1e-5)


def test_other_models_and_other_texts_are_embedded():
    occupations = load_occupations().head(3)
    asked = []

    def embed(texts):
        asked.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    vectors = occupation_vectors(occupations, "bundled:all-MiniLM-L6-v2", embed)
    assert vectors.shape == (3, 4) and asked == [occupation_texts(occupations)]
    # The default model's file was made from all 1,016 texts: three of them are not those texts.
    occupation_vectors(occupations, DEFAULT_EMBEDDING, embed)
    assert len(asked) == 2


@pytest.mark.parametrize("model", [DEFAULT_EMBEDDING, "a/b c"])
def test_shipped_file_names_are_plain(model):
    assert shipped_vectors_path(model).name.replace("-", "").replace(".", "").isalnum()
