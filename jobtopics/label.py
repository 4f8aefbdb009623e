"""Broad categories from fine topics, and names for both levels.

The grouping comes from the data (jobtopics.categories). Names come from evidence
(jobtopics.naming): representative titles, c-TF-IDF terms, shared head nouns ("Software
Engineering"), the nearest O*NET occupations and SOC groups — and, with `label.mode: llm`,
an LLM's proposal from the same evidence. Every candidate must describe its own members
better than its siblings' (topics: than the other categories' too), and sibling names are
chosen together so that no two share a name; a category's only topic carries its name. A
model can make a name better worded, never make engineers "Sales".
`label.mode: terms` keeps the plain top-terms names of earlier releases.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from .categories import group_and_refine
from .llm.batch import BatchStats, Question, ask_all
from .llm.endpoint import Endpoint
from .names import OUTLIER, UNCATEGORIZED, is_reserved
from .naming import Group, Occupations, gather_evidence, name_two_levels
from .naming_prompt import NAME_SCHEMA, messages, prompt_hash, question_data

log = logging.getLogger(__name__)

MAX_LABEL_WORDS = 5
_QUOTES = re.compile(r"^[\s\"'“”‘’`*#-]+|[\s\"'“”‘’`*.:;,-]+$")
Embed = Callable[[list[str]], np.ndarray]
AUDIT_COLUMNS = ["level", "category", "topic_label", "name_source", "evidence", "evidence_titles", "runner_up", "score",
                 "contrastive"]
# How many of a group's most representative titles its audit row quotes as evidence.
EVIDENCE_TITLES = 3


def fallback_label(terms: list[str], examples: list[str]) -> str:
    """A readable name without evidence scoring: the first two distinct words of the top terms, else the most
    common title (label.mode: terms)."""
    words: list[str] = []
    for term in terms:
        for word in term.split():
            if word not in words and len(words) < 2:
                words.append(word)
    label = (" ".join(word.title() if word.islower() else word for word in words) if words
             else examples[0] if examples else "Unnamed group")
    return f"{label} (titles)" if is_reserved(label) else label


def clean_label(text: str) -> str | None:
    label = " ".join(_QUOTES.sub("", text).split())
    if not label or not any(ch.isalpha() for ch in label) or is_reserved(label):
        return None
    return " ".join(label.split(" ")[:MAX_LABEL_WORDS])


def make_unique(labels: list[str], terms: list[list[str]]) -> list[str]:
    """label.mode terms: two categories must never share a legend entry; repeats get a distinguishing term."""
    seen: set[str] = set()
    unique = []
    for label, group_terms in zip(labels, terms):
        candidate = label
        if candidate.casefold() in seen:
            extra = next((t for t in group_terms if t.casefold() not in label.casefold()), "")
            candidate = f"{label} ({extra})" if extra else label
        number = 2
        base = candidate
        while candidate.casefold() in seen:
            candidate = f"{base} {number}"
            number += 1
        seen.add(candidate.casefold())
        unique.append(candidate)
    return unique


def llm_proposals(groups: list[Group], occupations: Occupations | None, endpoint: Endpoint,
                  max_requests: int | None, describe: str) -> tuple[list[str | None], BatchStats]:
    """The LLM's proposed name per group (None where it gave none), from the group's evidence only."""
    data = [question_data(gather_evidence(group, occupations), len(group.titles)) for group in groups]
    questions = [Question(data=item, messages=messages(item)) for item in data]
    answers, stats = ask_all(endpoint.chat, endpoint.cache, questions, schema=NAME_SCHEMA, schema_name="group_name",
                             prompt_hash=prompt_hash(), max_requests=max_requests, describe=describe)
    return [clean_label(answer["name"]) if answer else None for answer in answers], stats


def _group(key, members: np.ndarray, titles: pd.DataFrame, embeddings: np.ndarray, terms: list[str]) -> Group:
    return Group(key=key, titles=titles["title"].to_numpy()[members].tolist(), vectors=embeddings[members],
                 weights=titles["n_people"].to_numpy()[members], terms=list(terms))


def _evidence(row: pd.Series) -> str:
    parts = [f"titles: {', '.join(row['top_titles'][:EVIDENCE_TITLES])}"]
    if len(row["top_terms"]):
        parts.append(f"terms: {', '.join(row['top_terms'][:4])}")
    if row["nearest_occupation"]:
        parts.append(f"nearest O*NET occupation: {row['nearest_occupation']}")
    return "; ".join(parts)


def build_categories(
    titles: pd.DataFrame,
    documents: list[str],
    embeddings: np.ndarray,
    labels: np.ndarray,
    topic_table: pd.DataFrame,
    *,
    n_categories: int,
    max_share: float = 1.0,
    top_n_terms: int,
    n_examples: int,
    mode: str = "evidence",
    embed: Embed | None = None,
    occupations: Occupations | None = None,
    endpoint: Endpoint | None = None,
    max_requests: int | None = None,
    refine_min_gain: float | None = None,
    level_free: np.ndarray | None = None,
    rank_cohesion_drop: float | None = None,
    grey_group_min_titles: int | None = None,
    grey_group_max_distance: float = 0.5,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict, np.ndarray]:
    """Return (topic_categories, categories, naming audit, llm_stats, topic per title).

    Topics held together by rank words (level_free: the titles' vectors without them; rank_cohesion_drop: see
    jobtopics.categories.rank_held_topics; None: none) are dissolved, their titles Uncategorized for the outliers
    step. Topics are grouped whole (Ward), then a title at least refine_min_gain more similar to another category's
    centroid than to its own moves into that category's most similar topic (jobtopics.categories; None: whole
    topics), and groups of grey titles unlike every category become topics and categories of their own
    (grey_group_min_titles; None: off); the topic per title is the result, and both levels are named from it.

    topic_categories: topic, topic_label, category (outlier topic -1 -> Uncategorized).
    categories: category, n_titles, n_people, terms, examples, topics — ordered by n_people.
    audit: one row per category and per topic: level, category, topic_label, name_source, evidence, runner_up,
    score, contrastive.
    """
    from .topics import build_topic_table

    topic_rows = topic_table.set_index("topic")
    stats: dict = {}
    if not (topic_table["topic"] != OUTLIER).any():
        topic_categories = pd.DataFrame({"topic": [OUTLIER], "topic_label": [UNCATEGORIZED], "category": [UNCATEGORIZED]})
        topic_categories = topic_categories[topic_categories["topic"].isin(topic_table["topic"])]
        return topic_categories, _empty_categories(), pd.DataFrame(columns=AUDIT_COLUMNS), stats, labels

    topic_to_group, labels = group_and_refine(embeddings, labels, titles["n_people"].to_numpy(), n_categories,
                                              max_share, refine_min_gain, level_free, rank_cohesion_drop,
                                              grey_group_min_titles, grey_group_max_distance)
    # A topic whose every title moved, or a dissolved one, ends; a grey group's is new.
    topics = sorted(topic for topic in topic_to_group if (labels == topic).any())
    topic_to_group = {topic: topic_to_group[topic] for topic in topics}
    new_topics = [topic for topic in topics if topic not in topic_rows.index]
    if new_topics:
        fresh = build_topic_table(titles, documents, embeddings, labels, top_n_terms, n_examples).set_index("topic")
        topic_rows = pd.concat([topic_rows, fresh.loc[new_topics, topic_rows.columns]])
    group_labels = np.array([topic_to_group.get(t, OUTLIER) for t in labels.tolist()])
    category_table = build_topic_table(titles, documents, embeddings, group_labels, top_n_terms, n_examples)
    category_table = category_table[category_table["topic"] != OUTLIER].rename(columns={"topic": "group"})
    category_table["topics"] = [sorted(t for t, g in topic_to_group.items() if g == group)
                                for group in category_table["group"]]

    if mode == "terms":
        category_names = make_unique([fallback_label(list(r.terms), list(r.examples)) for r in category_table.itertuples()],
                                     [list(terms) for terms in category_table["terms"]])
        topic_names = dict(zip(topics, make_unique(
            [fallback_label(list(topic_rows.at[t, "terms"]), list(topic_rows.at[t, "examples"])) for t in topics],
            [list(topic_rows.at[t, "terms"]) for t in topics])))
        audit = pd.DataFrame(columns=AUDIT_COLUMNS)
    else:
        category_groups = [_group(row.group, np.flatnonzero(group_labels == row.group), titles, embeddings, row.terms)
                           for row in category_table.itertuples()]
        topic_groups = {row.group: [_group(t, np.flatnonzero(labels == t), titles, embeddings,
                                           topic_rows.at[t, "terms"]) for t in row.topics]
                        for row in category_table.itertuples()}
        category_proposals = topic_proposals = None
        if mode == "llm" and endpoint is not None:
            category_proposals, stats["category_labels"] = llm_proposals(category_groups, occupations, endpoint,
                                                                         max_requests, "label categories")
            # A category's only topic carries the category's name (naming.name_two_levels): no question for it.
            flat = [group for groups in topic_groups.values() if len(groups) > 1 for group in groups]
            answers, stats["topic_labels"] = llm_proposals(flat, occupations, endpoint, max_requests, "label topics")
            answer_of = dict(zip([group.key for group in flat], answers))
            topic_proposals = {key: [answer_of.get(group.key) for group in groups]
                               for key, groups in topic_groups.items()}
        category_audit, topic_audit = name_two_levels(category_groups, topic_groups, embed, occupations=occupations,
                                                      category_proposals=category_proposals,
                                                      topic_proposals=topic_proposals)
        category_names = category_audit["name"].tolist()
        topic_names = dict(zip(topic_audit["group"], topic_audit["name"]))
        name_of_group = dict(zip(category_audit["group"], category_audit["name"]))
        audit = pd.concat([
            category_audit.assign(level="category", category=category_names, topic_label=""),
            topic_audit.assign(level="topic", category=topic_audit["category"].map(name_of_group),
                               topic_label=topic_audit["name"]),
        ], ignore_index=True)
        audit = audit.assign(name_source=audit["source"], evidence=audit.apply(_evidence, axis=1),
                             evidence_titles=audit["top_titles"].map(lambda top: list(top[:EVIDENCE_TITLES])))[
            AUDIT_COLUMNS]

    category_table["category"] = category_names
    categories = (category_table.sort_values(["n_people", "category"], ascending=[False, True])
                  .drop(columns="group").reset_index(drop=True))
    group_name = dict(zip(category_table["group"], category_table["category"]))
    topic_categories = pd.DataFrame({
        "topic": topics,
        "topic_label": [topic_names[t] for t in topics],
        "category": [group_name[topic_to_group[t]] for t in topics],
    })
    if (labels == OUTLIER).any():
        outliers = pd.DataFrame({"topic": [OUTLIER], "topic_label": [UNCATEGORIZED], "category": [UNCATEGORIZED]})
        topic_categories = pd.concat([outliers, topic_categories], ignore_index=True)
    return (topic_categories, categories[["category", "n_titles", "n_people", "terms", "examples", "topics"]],
            audit, stats, labels)


def _empty_categories() -> pd.DataFrame:
    return pd.DataFrame({"category": pd.Series(dtype="string"), "n_titles": pd.Series(dtype="int64"),
                         "n_people": pd.Series(dtype="int64"), "terms": pd.Series(dtype="object"),
                         "examples": pd.Series(dtype="object"), "topics": pd.Series(dtype="object")})
