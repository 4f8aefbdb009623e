"""Embedding backends: bundled models, combinations with shares, clear errors for a bad spec."""

import numpy as np
import pytest

from jobtopics.embed import embed_texts, model_shares
from jobtopics.errors import InputError

MINILM = "bundled:all-MiniLM-L6-v2"
USE = "bundled:universal-sentence-encoder-multilingual"
TITLES = ["Data Analyst", "Analista de datos", "Registered Nurse", "Softwareentwickler", "Software Developer"]


def test_shares_are_parsed_and_normalised():
    assert model_shares("a*0.25 + b*0.75") == [("a", 0.25), ("b", 0.75)]
    assert model_shares("a + b") == [("a", 0.5), ("b", 0.5)]
    assert model_shares("a*1 + b*3") == [("a", 0.25), ("b", 0.75)]
    assert model_shares("/models/my-model") == [("/models/my-model", 1.0)]


@pytest.mark.parametrize("spec", ["a*0", "a*x", " + b", "a*-1", "*0.5", "a*inf + b*1", "a*nan",
                                  "a*0.75 + b",  # b's share would read as 1, not the rest
                                  "a*0.5 + a*0.5", "a*1e308 + b*1e308"])
def test_a_bad_spec_names_the_key(spec):
    with pytest.raises(InputError, match="embed.model"):
        model_shares(spec)


def test_a_model_that_cannot_be_loaded_is_one_line_naming_the_key():
    with pytest.raises(InputError, match="embed.model: cannot load 'no-such-model'"):
        embed_texts(["Data Analyst"], "no-such-model")


def test_a_combination_is_unit_length_and_mixes_similarities_by_share():
    minilm, use = embed_texts(TITLES, MINILM), embed_texts(TITLES, USE)
    combined = embed_texts(TITLES, f"{MINILM}*0.25 + {USE}*0.75")
    assert combined.shape == (len(TITLES), minilm.shape[1] + use.shape[1])
    assert np.allclose(np.linalg.norm(combined, axis=1), 1, atol=1e-5)
    assert np.allclose(combined @ combined.T, 0.25 * (minilm @ minilm.T) + 0.75 * (use @ use.T), atol=1e-5)


def test_the_multilingual_model_matches_titles_across_languages():
    use = embed_texts(TITLES, USE)
    assert use[1] @ use[0] > use[1] @ use[2]  # Analista de datos: Data Analyst, not Registered Nurse
    assert use[3] @ use[4] > use[3] @ use[0]  # Softwareentwickler: Software Developer, not Data Analyst
    assert embed_texts([], USE).shape == (0, 512)


def test_a_gpu_request_for_the_numpy_encoder_says_it_runs_on_the_cpu(caplog, monkeypatch):
    import jobtopics.embed as embed

    monkeypatch.setattr(embed, "_SEEN", {})  # not already embedded by an earlier test in this process
    with caplog.at_level("WARNING", logger="jobtopics.embed"):
        assert embed_texts(["Nurse"], USE, "cuda").shape == (1, 512)
    assert "embedding on the CPU" in caplog.text


def test_pivot_gives_local_titles_the_english_model_view_of_their_english_equivalents():
    spec = f"{MINILM}*0.75 + {USE}*0.25"
    as_is = embed_texts(TITLES, spec, local_language="as_is")
    pivot = embed_texts(TITLES, spec, local_language="pivot")
    minilm = slice(0, 384)
    # English titles are embedded exactly as before.
    for row in (0, 2, 4):
        np.testing.assert_allclose(pivot[row], as_is[row], atol=1e-6)
    # "Analista de datos" and "Softwareentwickler": MiniLM alone reads them as noise; borrowed, they sit by
    # their English equivalents.
    unit = pivot[:, minilm] / np.linalg.norm(pivot[:, minilm], axis=1, keepdims=True)
    assert unit[1] @ unit[0] > 0.9 and unit[3] @ unit[4] > 0.9
    assert pivot[1] @ pivot[0] > as_is[1] @ as_is[0]
    assert np.allclose(np.linalg.norm(pivot, axis=1), 1, atol=1e-5)


def test_pivot_borrows_from_the_pool_when_the_texts_have_no_english_equivalent():
    spec = f"{MINILM}*0.75 + {USE}*0.25"
    alone = embed_texts(["Krankenpfleger"], spec, local_language="pivot")
    pooled = embed_texts(["Krankenpfleger"], spec, local_language="pivot", pool=["Registered Nurse", "Data Analyst"])
    nurse, analyst = embed_texts(["Registered Nurse", "Data Analyst"], spec)
    assert pooled[0] @ nurse > pooled[0] @ analyst
    assert pooled[0] @ nurse > alone[0] @ nurse


def test_the_english_only_model_embeds_only_the_pool_texts_a_title_borrows_from(monkeypatch):
    """O*NET's thousand titles are the pool: the English-only model embeds the three a local title borrows from,
    and the title's vector is what it would be with the whole pool embedded."""
    import jobtopics.embed as embed
    from jobtopics.pivot import pivot_english_only

    monkeypatch.setattr(embed, "_SEEN", {})
    pool = ["Registered Nurse", "Data Analyst", "Software Developer", "Truck Driver", "Plumber", "Airline Pilot",
            "Dental Hygienist"]
    spec = f"{MINILM}*0.75 + {USE}*0.25"
    pivoted = embed_texts(["Krankenpfleger"], spec, local_language="pivot", pool=pool)
    english_only = {text for model, text in embed._SEEN if model == MINILM}
    assert "Krankenpfleger" in english_only and len(english_only - {"Krankenpfleger"}) == 3
    everything = ["Krankenpfleger", *pool]
    english = np.array([False] + [True] * len(pool))
    expected = pivot_english_only(english, embed_texts(everything, USE), embed_texts(everything, MINILM))[0]
    np.testing.assert_allclose(pivoted[0, :384], expected * np.sqrt(0.75), atol=1e-6)


def test_the_multilingual_encoders_vectors_do_not_depend_on_the_steps_threads():
    """The cache shares vectors between steps run with different `threads:` (embed 4, label 1) and --cores."""
    import jobtopics.embed as embed

    texts = [f"Data Analyst {n}" for n in range(40)] + ["Analista de datos", "Krankenpfleger"]
    vectors = []
    for threads in (1, 4):
        embed._SEEN.clear()
        vectors.append(embed_texts(texts, USE, threads=threads))
    np.testing.assert_array_equal(vectors[0], vectors[1])


def test_a_model_folder_changed_in_place_is_not_served_from_the_cache(tmp_path):
    """The cache outlives results/: a local model whose settings changed must not keep its old vectors."""
    import json
    import shutil

    import jobtopics.embed as embed

    folder = tmp_path / "my-model"
    shutil.copytree(embed.resolve_model(MINILM), folder)
    cache, texts = tmp_path / "cache.sqlite", ["Data Engineer", "Registered Nurse"]
    before = embed_texts(texts, str(folder), cache_path=cache)
    pooling = folder / "1_Pooling" / "config.json"
    settings = json.loads(pooling.read_text())
    settings.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(settings))
    embed._SEEN.clear()
    embed.model_identity.cache_clear()
    embed._sentence_transformer.cache_clear()
    after = embed_texts(texts, str(folder), cache_path=cache)
    embed._SEEN.clear()
    fresh = embed_texts(texts, str(folder))
    np.testing.assert_allclose(after, fresh, atol=1e-6)
    assert float(after[0] @ before[0]) < 0.99
    # Weights rewritten in place (same size) are another model too.
    identity = embed.model_identity(str(folder))
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes())
    embed.model_identity.cache_clear()
    assert embed.model_identity(str(folder)) != identity



def test_a_model_from_the_hugging_face_cache_is_known_by_the_revision_the_cache_holds(tmp_path, monkeypatch):
    """A newer revision downloaded into the cache is another model: its vectors must not come from the old one's."""
    import huggingface_hub.constants

    import jobtopics.embed as embed

    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))

    def hold(repo_folder: str, commit: str) -> None:
        snapshot = tmp_path / repo_folder / "snapshots" / commit
        snapshot.mkdir(parents=True)
        (snapshot / "config.json").write_text("{}")
        (tmp_path / repo_folder / "refs").mkdir(exist_ok=True)
        (tmp_path / repo_folder / "refs" / "main").write_text(commit)

    embed.model_identity.cache_clear()
    hold("models--acme--title-model", "a" * 40)
    hold("models--sentence-transformers--short-model", "c" * 40)
    first = embed.model_identity("acme/title-model")
    assert f"revision {'a' * 40}" in first
    assert f"revision {'c' * 40}" in embed.model_identity("short-model")  # sentence-transformers' short names
    assert "revision" not in embed.model_identity("acme/not-downloaded")
    hold("models--acme--title-model", "b" * 40)
    embed.model_identity.cache_clear()
    assert embed.model_identity("acme/title-model") != first
    embed.model_identity.cache_clear()

def test_a_text_many_titles_share_is_one_neighbour_to_borrow_from():
    """Role texts repeat ("Data Analyst" for "Data Analyst (Payments)"): a local title's vector must not depend on
    how many headlines share its neighbour's role."""
    spec = f"{MINILM}*0.75 + {USE}*0.25"
    texts = ["Analista de datos", "Data Analyst", "Registered Nurse", "Software Engineer"]
    once = embed_texts(texts, spec, local_language="pivot")
    thrice = embed_texts(texts + ["Data Analyst", "Data Analyst"], spec, local_language="pivot")
    np.testing.assert_allclose(thrice[0], once[0], atol=1e-6)


def test_pivot_needs_an_english_only_and_a_multilingual_model_else_it_changes_nothing():
    np.testing.assert_array_equal(embed_texts(TITLES, USE, local_language="pivot"), embed_texts(TITLES, USE))
    with pytest.raises(InputError, match="embed.local_language"):
        embed_texts(TITLES, USE, local_language="translate")


def test_a_process_embeds_each_text_once_per_model(monkeypatch, tmp_path):
    import jobtopics.embed as embed

    embedded = []
    real = embed._embed_one
    monkeypatch.setattr(embed, "_SEEN", {})

    def counted(texts, name, *rest):
        embedded.extend(texts)
        return real(texts, name, *rest)

    monkeypatch.setattr(embed, "_embed_one", counted)
    first = embed_texts(TITLES, USE, cache_path=tmp_path / "cache.sqlite")
    again = embed_texts(["Registered Nurse", "Data Analyst", "Nurse"], USE, cache_path=tmp_path / "cache.sqlite")
    assert sorted(embedded) == sorted([*TITLES, "Nurse"])
    np.testing.assert_array_equal(again[:2], first[[2, 0]])


@pytest.mark.parametrize("model", [MINILM, USE])
def test_a_vector_does_not_depend_on_the_texts_embedded_with_it(model, monkeypatch):
    """Batched arithmetic differs in the last bits with the batch; UMAP amplifies that into another map, so a title
    read from a cache that other runs filled would change the result (jobtopics/embed.py)."""
    import jobtopics.embed as embed

    companions = ["Senior Software Engineer II", "Chief Executive Officer of a very large organisation", "PM",
                  "Krankenpfleger", "Registered Nurse", "Head of Data Science and Machine Learning Platforms"] * 12
    monkeypatch.setattr(embed, "_SEEN", {})
    alone = embed_texts(TITLES, model)
    monkeypatch.setattr(embed, "_SEEN", {})
    among = embed_texts([*companions[:50], *TITLES, *companions[50:]], model)[50:50 + len(TITLES)]
    np.testing.assert_array_equal(alone, among)


SIDE_BY_SIDE_CHILD = """
import json, sys
from pathlib import Path
import numpy as np
from jobtopics.embed import embed_texts, models_side_by_side
titles, pool, cache, out = json.loads(sys.argv[1]), json.loads(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
with models_side_by_side():
    first = embed_texts(titles, sys.argv[5], local_language="pivot", pool=pool, cache_path=cache)
    again = embed_texts(titles[:2] + ["Nurse"], sys.argv[5], local_language="pivot", pool=pool, cache_path=cache)
np.save(out, np.vstack([first, again]))
print(json.dumps({"torch_loaded_here": "torch" in sys.modules}))
"""


def test_models_side_by_side_compute_the_vectors_of_one_process_and_fill_its_cache(tmp_path, monkeypatch):
    """The embed and label steps run MiniLM in a forked process while the multilingual encoder runs in theirs: a
    fresh process (as a step is) gives the same vectors as one process alone, never loads torch itself, and leaves
    both models' vectors in the cache."""
    import json
    import sqlite3
    import subprocess
    import sys

    import jobtopics.embed as embed

    spec, pool = f"{MINILM}*0.75 + {USE}*0.25", ["Registered Nurse", "Data Analyst", "Truck Driver", "Plumber"]
    cache, out = tmp_path / "embeddings.sqlite", tmp_path / "side.npy"
    done = subprocess.run([sys.executable, "-c", SIDE_BY_SIDE_CHILD, json.dumps(TITLES), json.dumps(pool),
                           str(cache), str(out), spec], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"torch_loaded_here": False}
    monkeypatch.setattr(embed, "_SEEN", {})
    alone = np.vstack([embed_texts(TITLES, spec, local_language="pivot", pool=pool),
                       embed_texts(TITLES[:2] + ["Nurse"], spec, local_language="pivot", pool=pool)])
    np.testing.assert_array_equal(np.load(out), alone)
    from jobtopics.embed_cache import _key

    with sqlite3.connect(cache) as db:
        stored = {key for (key,) in db.execute("SELECT key FROM vectors")}
    for model, texts in [(MINILM, [*TITLES, "Nurse"]), (USE, [*TITLES, *pool, "Nurse"])]:
        assert {_key(embed.model_identity(model), text) for text in texts} <= stored, model


PRELOAD_CHILD = """
import json, logging, sys
logging.basicConfig(level=logging.INFO)
from jobtopics.embed import models_side_by_side
with models_side_by_side(sys.argv[1] or None):
    pass  # the label step groups topics here before it embeds names
print(json.dumps({"torch_loaded_here": "torch" in sys.modules}))
"""


@pytest.mark.parametrize("spec", [f"{MINILM}*0.75 + {USE}*0.25", ""])
def test_given_a_spec_the_side_process_loads_its_model_before_anything_is_embedded(spec):
    import json
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", PRELOAD_CHILD, spec], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {"torch_loaded_here": False}
    assert ("Loading SentenceTransformer model" in done.stderr) == bool(spec), done.stderr[-2000:]
