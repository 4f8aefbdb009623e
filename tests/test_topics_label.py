import subprocess
import sys

import numpy as np
import pandas as pd
import scipy.sparse as sp

from jobtopics.label import UNCATEGORIZED, build_categories, clean_label, fallback_label, make_unique
from jobtopics.names import NO_TITLE
from jobtopics.terms import TermCounts, class_tfidf_transformer
from jobtopics.topics import build_topic_table

TITLES = pd.DataFrame({
    "title_key": ["a", "b", "c", "d", "e", "f", "g"],
    "title": ["Registered Nurse", "Nurse Practitioner", "ICU Nurse", "Backend Engineer", "Frontend Engineer",
              "Data Engineer", "Ingeniera de máquinas"],
    "n_people": [5, 2, 1, 3, 3, 1, 1],
})
LABELS = np.array([0, 0, 0, 1, 1, 1, -1])


def embeddings():
    rng = np.random.default_rng(0)
    vectors = np.vstack([np.eye(8)[label if label >= 0 else 5] + rng.normal(scale=0.05, size=8) for label in LABELS])
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def test_bigrams_never_cross_documents():
    counts = TermCounts(["Senior Developer", "Data Engineer"])
    terms = set(counts.terms)
    assert {"senior developer", "data engineer"} <= terms and "developer data" not in terms
    assert set(counts.class_terms(np.array([0, 0]), top_n=10)[0]) == terms


def test_topic_table_uses_ctfidf_and_keeps_non_ascii():
    table = build_topic_table(TITLES, TITLES["title"].tolist(), embeddings(), LABELS, top_n_terms=5, n_examples=2)
    rows = table.set_index("topic")
    assert rows.at[0, "terms"][0] == "nurse"
    assert "engineer" in rows.at[1, "terms"]
    assert any("máquinas" in term for term in rows.at[-1, "terms"])
    assert rows.at[0, "examples"] == ["Registered Nurse", "Nurse Practitioner"]
    assert rows.at[0, "n_people"] == 8 and rows.at[1, "n_titles"] == 3


def test_ctfidf_is_bertopics_own_without_its_heavy_package_import():
    from bertopic.vectorizers import ClassTfidfTransformer

    counts = sp.csr_matrix(np.array([[3, 0, 1], [0, 2, 2], [1, 1, 0]], dtype=float))
    ours = class_tfidf_transformer()(reduce_frequent_words=True).fit_transform(counts.copy()).toarray()
    theirs = ClassTfidfTransformer(reduce_frequent_words=True).fit_transform(counts.copy()).toarray()
    np.testing.assert_array_equal(ours, theirs)
    code = ("import sys, numpy as np; from jobtopics.terms import TermCounts; "
            "TermCounts(['data analyst', 'nurse']).class_terms(np.array([0, 1]), 3); "
            "print(sorted(m for m in ('torch', 'umap', 'bertopic') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_labels_are_cleaned_and_unique():
    assert clean_label('  "Software Engineering."  ') == "Software Engineering"
    assert clean_label("Uncategorized") is None
    assert clean_label("!!!") is None
    assert make_unique(["Engineering", "Engineering", "Engineering"], [["a"], ["backend"], ["backend"]]) == [
        "Engineering", "Engineering (backend)", "Engineering (backend) 2"]
    assert fallback_label(["nurse", "icu"], []) == "Nurse Icu"
    assert fallback_label(["software", "software engineer", "web"], []) == "Software Engineer"
    assert fallback_label([], ["Nurse"]) == "Nurse"


def test_build_categories_by_terms():
    topics = build_topic_table(TITLES, TITLES["title"].tolist(), embeddings(), LABELS, 5, 3)
    topic_categories, categories, audit, stats, _ = build_categories(
        TITLES, TITLES["title"].tolist(), embeddings(), LABELS, topics, n_categories=5, top_n_terms=5, n_examples=3,
        mode="terms")
    assert topic_categories.set_index("topic").at[-1, "category"] == UNCATEGORIZED
    assert set(topic_categories["topic"]) == {-1, 0, 1}
    assert categories["n_people"].tolist() == [8, 7]
    assert UNCATEGORIZED not in categories["category"].tolist() and NO_TITLE not in categories["category"].tolist()
    assert categories["category"].is_unique


def test_terms_stay_with_their_own_topic_whatever_the_numbering():
    # Topic 0 is the smaller one here: BERTopic would renumber it internally.
    labels = np.array([1, 1, 1, 0, 0, -1, -1])
    table = build_topic_table(TITLES, TITLES["title"].tolist(), embeddings(), labels, 5, 2).set_index("topic")
    assert table.at[1, "terms"][0] == "nurse" and table.at[1, "examples"][0] == "Registered Nurse"
    assert "engineer" in table.at[0, "terms"] and table.at[0, "examples"][0] in {"Backend Engineer", "Frontend Engineer"}


def test_build_categories_names_both_levels_from_evidence():
    from jobtopics.embed import embed_texts

    def embed(texts):
        return embed_texts(list(texts), "bundled:universal-sentence-encoder-multilingual")

    titles = pd.DataFrame({"title": ["Registered Nurse", "ICU Nurse", "Staff Nurse",
                                     "Physician", "Family Doctor", "General Practitioner",
                                     "Backend Engineer", "Backend Developer", "Java Backend Engineer",
                                     "Frontend Engineer", "Frontend Developer", "React Frontend Developer"]})
    titles = titles.assign(title_key=titles["title"].str.casefold(), n_people=1)
    labels = np.repeat([0, 1, 2, 3], 3)
    vectors = embed(titles["title"].tolist())
    topics = build_topic_table(titles, titles["title"].tolist(), vectors, labels, 5, 3)
    topic_categories, categories, audit, _, _ = build_categories(
        titles, titles["title"].tolist(), vectors, labels, topics, n_categories=2, top_n_terms=5, n_examples=3,
        mode="evidence", embed=embed)
    rows = topic_categories.set_index("topic")
    # Four topics in at most two categories: care and software, each named for its field.
    assert rows.at[0, "category"] == rows.at[1, "category"] != rows.at[2, "category"] == rows.at[3, "category"]
    assert len(set(categories["category"])) == 2
    # The fine level differs from the broad one and within each category (both categories hold two topics;
    # a category's only topic would carry the category's name).
    assert rows.loc[[0, 1], "topic_label"].nunique() == 2 and rows.loc[[2, 3], "topic_label"].nunique() == 2
    assert not set(rows["topic_label"]) & set(rows["category"])
    assert "nurs" in rows.at[0, "topic_label"].casefold() and "front" in rows.at[3, "topic_label"].casefold()
    assert set(audit["level"]) == {"category", "topic"} and audit["name_source"].str.len().gt(0).all()
    assert audit["evidence"].str.contains("titles: ").all()


def test_refined_titles_count_in_their_new_category():
    # HDBSCAN put "ICU Nurse" into the engineers' topic 1; in the embedding space it sits with the nurses.
    titles = pd.DataFrame({"title_key": list("abcdefgh"),
                           "title": ["Registered Nurse", "Nurse Practitioner", "ICU Nurse", "Backend Engineer",
                                     "Frontend Engineer", "Data Engineer", "Physician", "Family Doctor"],
                           "n_people": 1})
    axes = [0, 0, 0, 1, 1, 1, 2, 2]
    vectors = np.vstack([np.eye(4)[axis] for axis in axes]) + 0.01
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0, 0, 1, 1, 1, 1, 2, 2])  # "ICU Nurse" clustered with the engineers
    topics = build_topic_table(titles, titles["title"].tolist(), vectors, labels, 5, 3)
    kwargs = dict(n_categories=3, top_n_terms=5, n_examples=3, mode="terms")
    whole_categories, _, _, _, whole = build_categories(titles, titles["title"].tolist(), vectors, labels, topics,
                                                        **kwargs)
    assert (whole == labels).all()
    topic_categories, categories, _, _, refined = build_categories(
        titles, titles["title"].tolist(), vectors, labels, topics, refine_min_gain=0.03, **kwargs)
    assert refined.tolist() == [0, 0, 0, 1, 1, 1, 2, 2]
    category = topic_categories.set_index("topic")["category"]
    assert categories.set_index("category").at[category[0], "n_titles"] == 3
    assert sorted(categories["n_titles"]) == [2, 3, 3]


def test_grey_titles_that_make_a_category_get_a_topic_with_terms_and_a_name():
    titles = pd.DataFrame({"title": ["Registered Nurse", "ICU Nurse", "Staff Nurse", "Backend Engineer",
                                     "Frontend Engineer", "Data Engineer", "Recruiter", "Technical Recruiter",
                                     "IT Recruiter", "Senior Recruiter"]})
    titles = titles.assign(title_key=titles["title"].str.casefold(), n_people=1)
    axes = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    rng = np.random.default_rng(0)
    vectors = np.eye(4)[axes] + rng.normal(scale=0.1, size=(len(axes), 4))
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    labels = np.array([0, 0, 0, 1, 1, 1, -1, -1, -1, -1])  # HDBSCAN left the recruiters out
    topics = build_topic_table(titles, titles["title"].tolist(), vectors, labels, 5, 3)
    topic_categories, categories, _, _, refined = build_categories(
        titles, titles["title"].tolist(), vectors, labels, topics, n_categories=5, top_n_terms=5, n_examples=3,
        mode="terms", grey_group_min_titles=3, grey_group_max_distance=0.5)
    assert refined.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    rows = topic_categories.set_index("topic")
    assert -1 not in rows.index and rows.at[2, "category"] not in {rows.at[0, "category"], rows.at[1, "category"]}
    assert "Recruiter" in rows.at[2, "category"] and "Recruiter" in rows.at[2, "topic_label"]
    assert categories.set_index("category").at[rows.at[2, "category"], "n_titles"] == 4
    # Off by default: the recruiters stay grey for the outliers step.
    _, _, _, _, kept = build_categories(titles, titles["title"].tolist(), vectors, labels, topics, n_categories=5,
                                        top_n_terms=5, n_examples=3, mode="terms")
    assert (kept == labels).all()
