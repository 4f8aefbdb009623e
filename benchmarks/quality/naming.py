"""Name fidelity: does a group's name point at the kind of titles the group holds?

For each group (KMeans clusters of labelled titles), embed its name, take the name's 20 nearest labelled
titles — leaving out near-copies of the name (cosine >= 0.95), which only show that the name is one
member's spelling — and count the name right when their majority family equals the majority family of
the group's members. Fidelity is the share of groups named right. Breadth violations: the share of groups
of more than 30 titles named by one member's title (as written, without its level, or as the class it would be
shown as: "Software Engineers" for a group holding "Software Engineer").

Methods: c-TF-IDF terms (label.fallback_label), the representative title (topics.representative_titles),
the nearest O*NET occupation, the evidence-based default (jobtopics.naming), the embedded SmolLM2 (old label
prompt, and as a proposer for the evidence-based method) when llama-cpp-python is installed, and an endpoint
with --base-url. On the O*NET set, O*NET candidates are switched off: they would leak the answer.

Two levels: KMeans topics grouped into categories by the label step's Ward grouping and size cap (without its
title-by-title refinement), both levels named together; topic names are judged against the finer family (ONS and
SOC minor groups), and counted narrow when fewer than 10 % of the topic's members write them.

Run: `.venv/bin/python benchmarks/quality/naming.py` (see --help). Writes docs/naming.md, docs/naming.csv and
docs/naming-two-levels.csv.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from jobtopics.naming import (BROAD_GROUP_TITLES, MIN_SUPPORT, NEAR_COPY_COSINE, NEIGHBORS, Group,  # noqa: E402
                              Occupations, candidate_table, is_member_title, member_title_keys, name_groups,
                              name_two_levels, occupation_index, onet_name, support)

DEFAULT_METHOD = "evidence-based (new default)"
SHIPPED = __import__("yaml").safe_load((ROOT / "config" / "config.yaml").read_text())
EMBED = SHIPPED["embed"]
MODEL = EMBED["model"]


# --- The metric (pure) -----------------------------------------------------------------------------------

def majority(values: np.ndarray) -> object:
    """Most common value; ties go to the smallest, so the result does not depend on order."""
    uniques, counts = np.unique(values, return_counts=True)
    return uniques[np.argmax(counts)]


def name_is_right(name_vector: np.ndarray, member_family: object, title_vectors: np.ndarray,
                  families: np.ndarray, k: int = NEIGHBORS) -> bool:
    similarity = title_vectors @ name_vector
    keep = np.flatnonzero(similarity < NEAR_COPY_COSINE)
    nearest = keep[np.argsort(-similarity[keep], kind="stable")[:k]]
    return len(nearest) > 0 and majority(families[nearest]) == member_family


def fidelity(names: list[str], name_vectors: np.ndarray, labels: np.ndarray, title_vectors: np.ndarray,
             families: np.ndarray, k: int = NEIGHBORS) -> np.ndarray:
    """One bool per group (groups numbered 0..len(names)-1 in `labels`): is its name right?"""
    return np.array([name_is_right(name_vectors[g], majority(families[labels == g]), title_vectors, families, k)
                     for g in range(len(names))])


def has_majority_family(labels: np.ndarray, families: np.ndarray, n_groups: int) -> np.ndarray:
    """One bool per group: does one family hold more than half its members? Where none does, the "right"
    family is only the largest minority, and a name can fit most members' field and still count wrong."""
    return np.array([(labels == g).any()
                     and np.unique(families[labels == g], return_counts=True)[1].max() > 0.5 * (labels == g).sum()
                     for g in range(n_groups)], dtype=bool)


def breadth_violations(names: list[str], labels: np.ndarray, titles: list[str]) -> float:
    """Share of groups of more than BROAD_GROUP_TITLES titles named by one member's title (as written, without
    its level, or shown as a class: "Software Engineers" for a group holding "Software Engineer")."""
    array = np.asarray(titles, dtype=object)
    broad = [g for g in range(len(names)) if (labels == g).sum() > BROAD_GROUP_TITLES]
    if not broad:
        return 0.0
    copied = [is_member_title(names[g], member_title_keys(array[labels == g].tolist())) for g in broad]
    return float(np.mean(copied))


# --- Naming methods ----------------------------------------------------------------------------------------

def make_groups(titles: list[str], vectors: np.ndarray, labels: np.ndarray) -> list[Group]:
    from jobtopics.topics import topic_terms

    terms = topic_terms(titles, labels, 10)
    array = np.asarray(titles, dtype=object)
    return [Group(g, array[labels == g].tolist(), vectors[labels == g], None, terms.get(g, []))
            for g in range(labels.max() + 1)]


def by_terms(groups: list[Group]) -> list[str]:
    from jobtopics.label import fallback_label

    return [fallback_label(g.terms, g.titles[:1]) for g in groups]


def by_representative_title(groups: list[Group]) -> list[str]:
    from jobtopics.topics import representative_titles

    names = []
    for g in groups:
        frame = pd.DataFrame({"title": g.titles, "n_people": np.ones(len(g.titles), dtype=int)})
        names.append(representative_titles(frame, g.vectors, np.zeros(len(g.titles), dtype=int), 1)[0][0])
    return names


def by_onet(groups: list[Group], occupations: Occupations) -> list[str]:
    """The occupation nearest the group's centroid (its short form when the title is long)."""
    names = []
    for g in groups:
        first = occupations.titles[int(np.argmax(occupations.vectors @ g.centroid()))]
        names.append(onet_name(first) or first)
    return names


def by_evidence(groups: list[Group], embed, occupations: Occupations | None,
                proposals: list[str | None] | None = None) -> list[str]:
    return name_groups(groups, embed, occupations=occupations, proposals=proposals)["name"].tolist()


def candidate_ceiling(groups: list[Group], embed, occupations: Occupations | None, labels: np.ndarray,
                      title_vectors: np.ndarray, families: np.ndarray, k: int = NEIGHBORS) -> np.ndarray:
    """One bool per group: would any of the evidence method's allowed candidates be right? Their share is what
    a perfect choice among the allowed candidates would reach: a gap above it is in the candidates, one below
    it in the choice. (The default can still pick a disallowed name when a group has no allowed one.)"""
    table, _ = candidate_table(groups, embed, occupations=occupations)
    table = table[table["allowed"]]
    vectors = embed(table["name"].tolist()) if len(table) else np.zeros((0, title_vectors.shape[1]))
    member_family = {g: majority(families[labels == g]) for g in range(len(groups))}
    right = [name_is_right(vector, member_family[g], title_vectors, families, k)
             for vector, g in zip(vectors, table["group_index"])]
    found = pd.Series(right, dtype=bool).groupby(table["group_index"].to_numpy()).any()
    return np.array([bool(found.get(g, False)) for g in range(len(groups))])


def member_title_ceiling(labels: np.ndarray, title_vectors: np.ndarray, families: np.ndarray,
                         k: int = NEIGHBORS) -> np.ndarray:
    """One bool per group: would some member's own title, used as the name, be right? What names as specific as a
    title could reach under this judge; the breadth rule forbids them for groups of more than BROAD_GROUP_TITLES
    titles, so a gap between it and the candidates' ceiling is the price of naming a group for its field."""
    groups = int(labels.max()) + 1 if len(labels) else 0
    right = np.zeros(groups, dtype=bool)
    for g in range(groups):
        member_family = majority(families[labels == g])
        right[g] = any(name_is_right(title_vectors[i], member_family, title_vectors, families, k)
                       for i in np.flatnonzero(labels == g))
    return right


def llm_settings(base_url: str, model: str, cache_dir: str) -> dict:
    return {"base_url": base_url, "model": model, "api_key_env": "OPENAI_API_KEY", "temperature": 0.0, "seed": 42,
            "max_tokens": 60, "timeout_s": 120, "max_retries": 2, "max_concurrency": 1 if not base_url else 8,
            "max_requests": None, "dry_run": False, "response_format": "auto", "cache_dir": cache_dir,
            "price_per_million_tokens": {"input": 0.0, "output": 0.0},
            "local": {"threads": 1, "n_ctx": 2048, "device": "cpu"}}


def llm_proposals(groups: list[Group], endpoint, occupations: Occupations | None) -> list[str | None]:
    """The label step's LLM proposals (jobtopics.label.llm_proposals), asked through the cached batch path."""
    from jobtopics.label import llm_proposals as label_proposals

    proposals, _ = label_proposals(groups, occupations, endpoint, None, "bench naming proposals")
    return proposals


# --- Datasets and the run ------------------------------------------------------------------------------------

def example_titles() -> pd.DataFrame:
    """The bundled example's unique cleaned titles with their generator group."""
    sys.path.insert(0, str(ROOT / "data"))
    from example_truth import title_group

    from jobtopics.titles import clean_title

    path = ROOT / "data" / "example" / "Connections.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    skip = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
    positions = pd.read_csv(path, skiprows=skip, dtype=str)["Position"].dropna()
    frame = pd.DataFrame({"title": positions.map(clean_title), "family": positions.map(title_group)})
    frame = frame[(frame["title"] != "") & frame["family"].notna()]
    return frame.drop_duplicates("title").sort_values("title").reset_index(drop=True)


def ons_sets(n_ons: int) -> dict[str, pd.DataFrame]:
    from data import linkedin_like_sample, ons_titles

    ons = linkedin_like_sample(ons_titles(), n_ons, seed=0)
    return {f"ONS SOC2010 sample ({len(ons):,}), {level} group": pd.DataFrame({"title": ons["title"],
                                                                             "family": ons[column]})
            for level, column in (("major", "major"), ("sub-major", "sub_major"))}


def onet_set() -> dict[str, pd.DataFrame]:
    from data import onet_titles

    onet = onet_titles()
    return {f"O*NET titles ({len(onet):,}), SOC major group": pd.DataFrame({"title": onet["title"],
                                                                           "family": onet["major"]})}


def wanted(key: str, only: str) -> bool:
    """--only "ONS", "O*NET" or "bundled" (or several, comma-separated) keeps the sets named so; empty keeps all."""
    return not only or only in key or key in only


def datasets(n_ons: int, only: str = "") -> dict[str, pd.DataFrame]:
    """name -> title, family; `only` ("ONS", "O*NET", "bundled") keeps the datasets whose name holds it."""
    loaders = {"ONS": lambda: ons_sets(n_ons), "O*NET": onet_set,
               "bundled": lambda: {"bundled example, generator group": example_titles()}}
    found: dict[str, pd.DataFrame] = {}
    for key, load in loaders.items():
        if wanted(key, only):
            found.update(load())
    return found


# --- Two levels: topics inside categories --------------------------------------------------------------

TOPICS = 60  # KMeans topics per set; the workflow found 79 on the 1,500 ONS titles (docs/benchmarks.md)
MAX_CATEGORIES, MAX_CATEGORY_SHARE = SHIPPED["label"]["n_categories"], SHIPPED["label"]["max_category_share"]


def two_level_sets(n_ons: int, only: str = "") -> dict[str, pd.DataFrame]:
    """name -> title, coarse (judges category names), fine (judges topic names): sets with a finer level."""
    from data import linkedin_like_sample, ons_titles, onet_titles

    loaders = {
        "ONS": lambda: linkedin_like_sample(ons_titles(), n_ons, seed=0).rename(
            columns={"sub_major": "coarse", "minor": "fine"}),
        "O*NET": lambda: onet_titles().rename(columns={"major": "coarse", "minor": "fine"}),
    }
    names = {"ONS": "ONS SOC2010 sample ({n:,}): sub-major groups, minor groups",
             "O*NET": "O*NET titles ({n:,}): SOC major groups, minor groups"}
    found = {}
    for key, load in loaders.items():
        if wanted(key, only):
            frame = load()[["title", "coarse", "fine"]]
            found[names[key].format(n=len(frame))] = frame
    return found


def nested_groups(titles: list[str], vectors: np.ndarray, seed: int) -> tuple[list[Group], dict[int, list[Group]]]:
    """Topics (KMeans) grouped into categories by the label step's grouping (Ward on the topic centroids, at most
    MAX_CATEGORIES and three quarters of the topics, a category above MAX_CATEGORY_SHARE of the titles split), without
    its title-by-title refinement, which would cut topics apart: (categories, category key -> its topics)."""
    from jobtopics.categories import group_topics, topic_centroids
    from jobtopics.topics import topic_terms
    from sklearn.cluster import KMeans

    topics = KMeans(n_clusters=TOPICS, n_init=10, random_state=seed).fit_predict(vectors)
    ids = list(range(TOPICS))
    category_of = group_topics(topic_centroids(vectors, topics, ids), np.bincount(topics, minlength=TOPICS)
                               .astype(float), MAX_CATEGORIES, MAX_CATEGORY_SHARE)
    categories = category_of[topics]
    array = np.asarray(titles, dtype=object)
    topic_terms_of, category_terms_of = topic_terms(titles, topics, 10), topic_terms(titles, categories, 10)

    def group(key, members, terms):
        return Group(key, array[members].tolist(), vectors[members], None, terms.get(key, []))

    category_groups = [group(c, categories == c, category_terms_of) for c in sorted(set(categories.tolist()))]
    topic_groups = {c: [group(t, topics == t, topic_terms_of) for t in ids if category_of[t] == c]
                    for c in sorted(set(categories.tolist()))}
    return category_groups, topic_groups


def is_narrow(name: str, group: Group) -> bool:
    """A phrase some members write but fewer than MIN_SUPPORT of them ("Frontend Engineers" over 34 people, 3
    of them frontend engineers): names with no member's words (fields, occupations) are not judged."""
    return 0 < support(name, group) < MIN_SUPPORT


def two_level_run(n_ons: int, seeds: list[int], embed: Callable, occupations: Occupations,
                  only: str = "") -> pd.DataFrame:
    """One row per set, method and seed: topic names (topics of categories holding several) judged against the
    fine family, as category names are against the coarse one."""
    rows = []
    for dataset, frame in two_level_sets(n_ons, only).items():
        titles, coarse, fine = frame["title"].tolist(), frame["coarse"].to_numpy(), frame["fine"].to_numpy()
        vectors = embed(titles)
        occ = None if dataset.startswith("O*NET") else occupations  # would name O*NET titles by their answer
        for seed in seeds:
            categories, topics = nested_groups(titles, vectors, seed)
            named = [topic for category in categories if len(topics[category.key]) > 1
                     for topic in topics[category.key]]
            category_audit, topic_audit = name_two_levels(categories, topics, embed, occupations=occ)
            topic_audit = topic_audit.set_index("group")
            methods = {DEFAULT_METHOD: [topic_audit.at[topic.key, "name"] for topic in named],
                       "terms (today's fallback)": by_terms(named),
                       "representative title": by_representative_title(named)}
            labels = group_labels(named, titles)
            category_names = category_audit["name"].tolist()
            category_right = fidelity(category_names, embed(category_names), group_labels(categories, titles),
                                      vectors, coarse)
            for method, names in methods.items():
                right = fidelity(names, embed(names), labels, vectors, fine)
                contrastive = ([bool(topic_audit.at[topic.key, "contrastive"]) for topic in named]
                               if method == DEFAULT_METHOD else [])
                rows.append({"dataset": dataset, "method": method, "seed": seed, "categories": len(categories),
                             "topics": len(named), "right": int(right.sum()),
                             "narrow": sum(is_narrow(name, topic) for name, topic in zip(names, named)),
                             "not_contrastive": len(contrastive) - sum(contrastive) if contrastive else None,
                             "category_right": int(category_right.sum()) if method == DEFAULT_METHOD else None,
                             "names": names_by_category(category_names, categories, topics, named, names)})
                print(f"  {dataset} / seed {seed} / {method}: topic fidelity {right.mean():.2f}", flush=True)
    return pd.DataFrame(rows)


def group_labels(groups: list[Group], titles: list[str]) -> np.ndarray:
    """Per title, the index of the group holding it in `groups` (-1: none), as fidelity() reads labels."""
    position = {title: index for index, title in enumerate(titles)}
    labels = np.full(len(titles), -1)
    for index, group in enumerate(groups):
        labels[[position[title] for title in group.titles]] = index
    return labels


def names_by_category(category_names: list[str], categories: list[Group], topics: dict[int, list[Group]],
                      named: list[Group], names: list[str]) -> str:
    """ "Category: topic; topic | ..." for the categories holding several topics (O*NET names hold commas)."""
    name_of = {topic.key: name for topic, name in zip(named, names)}
    return " | ".join(f"{category_name}: " + "; ".join(name_of[topic.key] for topic in topics[category.key])
                      for category_name, category in zip(category_names, categories)
                      if len(topics[category.key]) > 1)


def two_level_markdown(rows: pd.DataFrame) -> list[str]:
    grouped = rows.groupby(["dataset", "method"], sort=False)
    table = pd.DataFrame({"seeds": grouped["seed"].nunique(), "categories": grouped["categories"].sum(),
                          "category_right": grouped["category_right"].sum(min_count=1),
                          "topics": grouped["topics"].sum(),
                          "right": grouped["right"].sum(), "narrow": grouped["narrow"].sum(),
                          "not_contrastive": grouped["not_contrastive"].sum(min_count=1)}).reset_index()
    lines = ["## Two levels: topic names inside their categories", "",
             f"Topics: KMeans (k = {TOPICS}) on each set; categories: the label step's grouping of the topics (Ward "
             f"on their centroids, at most {MAX_CATEGORIES}, a category above {MAX_CATEGORY_SHARE:.0%} of the titles "
             "split; no title-by-title refinement). Both levels named together as the workflow names them "
             "(jobtopics.naming.name_two_levels); the other methods name the same topics alone. A topic name is "
             "judged as a category name is, against the finer family (ONS minor groups, SOC minor groups); only "
             "topics of categories holding several are counted (a category's only topic carries its name). "
             f"Narrow: a phrase some of the topic's members write, but fewer than {MIN_SUPPORT:.0%} of them (people "
             "and titles).", "",
             "| dataset | method | seeds | topics | topic fidelity (fine family) | narrow names | not contrastive | "
             "category fidelity (coarse family) |", "|---|---|---:|---:|---:|---:|---:|---:|"]
    for row in table.itertuples():
        # Contrast and the categories' names come from the two-level naming only.
        default = row.method == DEFAULT_METHOD
        not_contrastive = f"{row.not_contrastive / row.topics:.2f}" if default else ""
        categories = f"{row.category_right / row.categories:.2f}" if default else ""
        lines.append(f"| {row.dataset} | {row.method} | {row.seeds} | {row.topics} | {row.right / row.topics:.2f} | "
                     f"{row.narrow / row.topics:.2f} | {not_contrastive} | {categories} |")
    first = rows[(rows["seed"] == rows["seed"].iloc[0]) & (rows["method"] == DEFAULT_METHOD)]
    lines += ["", "Topic names by category (first seed, default):", ""]
    lines += [f"- {row.dataset}: {row.names}" for row in first.itertuples()]
    return lines


def occupation_space(embed: Callable) -> Occupations:
    from jobtopics.embed import embedding_id
    from jobtopics.occupations import load_occupations, occupation_vectors

    table = load_occupations()
    return occupation_index(table, occupation_vectors(table, embedding_id(MODEL, EMBED["local_language"]), embed))


def run(n_ons: int, k: int, seeds: list[int], embed: Callable, occupations: Occupations, llm_endpoints: dict,
        only: str = "") -> pd.DataFrame:
    """One row per dataset, method and seed. LLM methods run on the first seed only (the embedded model
    answers a question every few seconds on 2 cores)."""
    from sklearn.cluster import KMeans

    rows = []
    groups_cache: dict[tuple, tuple] = {}
    for dataset, frame in datasets(n_ons, only).items():
        titles = frame["title"].tolist()
        families = frame["family"].to_numpy()
        # O*NET candidates would name O*NET titles by their own answer.
        occ = None if dataset.startswith("O*NET") else occupations
        for seed in seeds:
            key = (tuple(titles), seed)
            if key not in groups_cache:
                vectors = groups_cache.get((tuple(titles), seeds[0]), (None,))[0]
                vectors = embed(titles) if vectors is None else vectors
                labels = KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(vectors)
                groups_cache[key] = (vectors, labels, make_groups(titles, vectors, labels))
            vectors, labels, groups = groups_cache[key]
            methods: dict[str, Callable[[], list[str]]] = {
                "terms (today's fallback)": lambda: by_terms(groups),
                "representative title": lambda: by_representative_title(groups),
                DEFAULT_METHOD: lambda: by_evidence(groups, embed, occ),
            }
            if occ is not None:
                methods["nearest O*NET occupation"] = lambda: by_onet(groups, occ)
            for label, endpoint in (llm_endpoints.items() if seed == seeds[0] else []):
                methods[f"evidence-based + {label} proposals"] = lambda e=endpoint: by_evidence(
                    groups, embed, occ, llm_proposals(groups, e, occ))
            for method, namer in methods.items():
                started = time.perf_counter()
                names = namer()
                seconds = time.perf_counter() - started
                right = fidelity(names, embed(names), labels, vectors, families)
                clear = has_majority_family(labels, families, len(names))
                default = method == DEFAULT_METHOD
                ceiling = candidate_ceiling(groups, embed, occ, labels, vectors, families).sum() if default else None
                any_title = member_title_ceiling(labels, vectors, families).sum() if default else None
                rows.append({"dataset": dataset, "method": method, "seed": seed, "groups": len(names),
                             "right": int(right.sum()), "fidelity": right.mean(), "best_candidate_right": ceiling,
                             "member_title_right": any_title,
                             "majority_groups": int(clear.sum()), "majority_right": int(right[clear].sum()),
                             "breadth_violations": breadth_violations(names, labels, titles),
                             "distinct": len({n.casefold() for n in names}) / len(names),
                             "seconds": seconds, "names": " | ".join(names)})
                print(f"  {dataset} / seed {seed} / {method}: fidelity {right.mean():.2f}", flush=True)
    return pd.DataFrame(rows)


def default_on_same_seeds(rows: pd.DataFrame) -> pd.Series:
    """Per (dataset, method): the default method's fidelity on the seeds that method ran on. LLM methods run on the
    first seed only, so their fidelity is compared with the default's on that seed, not over all seeds."""
    default = rows[rows["method"] == DEFAULT_METHOD].set_index(["dataset", "seed"])
    values = {}
    for (dataset, method), part in rows.groupby(["dataset", "method"], sort=False):
        same = default.loc[[(dataset, seed) for seed in part["seed"]]]
        values[(dataset, method)] = same["right"].sum() / same["groups"].sum()
    return pd.Series(values, name="default_same_seeds").rename_axis(["dataset", "method"])


def summary(rows: pd.DataFrame) -> pd.DataFrame:
    """Per dataset and method: groups named right over all seeds, mean breadth violations and distinctness."""
    grouped = rows.groupby(["dataset", "method"], sort=False)
    return pd.DataFrame({
        "default_same_seeds": default_on_same_seeds(rows),
        "member_title_right": grouped["member_title_right"].sum(min_count=1),
        "seeds": grouped["seed"].nunique(), "groups": grouped["groups"].sum(), "right": grouped["right"].sum(),
        "breadth_violations": grouped["breadth_violations"].mean(), "distinct": grouped["distinct"].mean(),
        "seconds": grouped["seconds"].sum(), "best_candidate_right": grouped["best_candidate_right"].sum(min_count=1),
        "majority_groups": grouped["majority_groups"].sum(), "majority_right": grouped["majority_right"].sum(),
    }).assign(fidelity=lambda t: t["right"] / t["groups"],
              majority_fidelity=lambda t: t["majority_right"] / t["majority_groups"].where(t["majority_groups"] > 0),
              mixed_fidelity=lambda t: (t["right"] - t["majority_right"])
              / (t["groups"] - t["majority_groups"]).where(t["groups"] > t["majority_groups"]),
              best_candidate=lambda t: t["best_candidate_right"] / t["groups"],
              member_title=lambda t: t["member_title_right"] / t["groups"]).reset_index()


def reading(table: pd.DataFrame) -> list[str]:
    """What the default's numbers say, per dataset: overall, where groups have a majority family, elsewhere."""
    lines = []
    for row in table[table["method"] == DEFAULT_METHOD].itertuples():
        mixed = row.groups - row.majority_groups
        lines.append(f"- {row.dataset}: fidelity {row.fidelity:.2f} over {row.groups} groups (target 0.90); "
                     f"{row.majority_groups} groups have a majority family and {share_text(row.majority_fidelity)} of "
                     f"them are named right; the {mixed} without one: {share_text(row.mixed_fidelity)}. A perfect "
                     f"choice among the allowed candidates would reach {share_text(row.best_candidate)}; a member's "
                     f"own title, which the breadth rule forbids for groups of more than {BROAD_GROUP_TITLES} titles, "
                     f"would be right for {share_text(row.member_title)} of the groups.")
    for row in table[table["method"].str.startswith("evidence-based + ")].itertuples():
        seeds = f"{row.seeds} seed" + ("s" if row.seeds > 1 else "")
        lines.append(f"- {row.dataset}, {row.method}: {row.fidelity:.2f} against the default's "
                     f"{row.default_same_seeds:.2f} on the same {row.groups} groups ({seeds}).")
    return lines


def share_text(value: float, missing: str = "n/a") -> str:
    return missing if pd.isna(value) else f"{value:.2f}"


def markdown(rows: pd.DataFrame, meta: str, two_levels: pd.DataFrame | None = None) -> str:
    table = summary(rows)
    lines = ["# Name fidelity: do category names point at what the categories hold?", "",
             "Generated by `benchmarks/quality/naming.py`; do not edit by hand.", "", meta, "",
             "| dataset | method | seeds | groups | fidelity | default on the same seeds | best candidate | "
             "a member's title | groups with a majority family | fidelity there | fidelity on the other groups | "
             "breadth violations | distinct | s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in table.itertuples():
        lines.append(f"| {row.dataset} | {row.method} | {row.seeds} | {row.groups} | {row.fidelity:.2f} | "
                     f"{row.default_same_seeds:.2f} | {share_text(row.best_candidate, '')} | "
                     f"{share_text(row.member_title, '')} | {row.majority_groups} | "
                     f"{share_text(row.majority_fidelity, '')} | {share_text(row.mixed_fidelity, '')} | "
                     f"{row.breadth_violations:.2f} | {row.distinct:.2f} | {row.seconds:.0f} |")
    lines += ["", "## Reading", "", *reading(table), "", "## Names (first seed)", ""]
    first = rows[rows["seed"] == rows["seed"].iloc[0]]
    for row in first.itertuples():
        lines += [f"- {row.dataset} / {row.method}: {row.names}"]
    if two_levels is not None and len(two_levels):
        lines += ["", *two_level_markdown(two_levels)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1500, help="titles sampled from the ONS index")
    parser.add_argument("--k", type=int, default=20, help="KMeans groups to name per dataset")
    parser.add_argument("--seeds", default="0,1,2", help="KMeans seeds (LLM methods: the first only)")
    parser.add_argument("--smollm", choices=["auto", "yes", "no"], default="auto",
                        help="also name with the embedded SmolLM2 (auto: when llama-cpp-python is installed)")
    parser.add_argument("--base-url", default="", help="an OpenAI-compatible endpoint to compare as well")
    parser.add_argument("--model", default="", help="the endpoint's model id")
    parser.add_argument("--only", default="", help="only the datasets whose name contains this (ONS, O*NET, bundled)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "naming.md"))
    args = parser.parse_args()

    from jobtopics.embed import embed_texts
    from jobtopics.llm.endpoint import open_endpoint
    from jobtopics.occupations import english_title_pool

    pool = english_title_pool()
    vector_cache = tempfile.TemporaryDirectory(prefix="jobtopics-naming-vectors-")

    def embed(texts: list[str]) -> np.ndarray:
        # Local-language titles and names borrow from O*NET's English titles (the workflow adds the network's own).
        return embed_texts(list(texts), MODEL, "cpu", 64, local_language=EMBED["local_language"], pool=pool,
                           cache_path=Path(vector_cache.name) / "embeddings.sqlite")

    started = time.perf_counter()
    occupations = occupation_space(embed)
    smollm = args.smollm == "yes" or (args.smollm == "auto" and importlib.util.find_spec("llama_cpp") is not None)
    with tempfile.TemporaryDirectory(prefix="jobtopics-naming-") as cache_dir:
        from contextlib import ExitStack

        with ExitStack() as stack:
            endpoints = {}
            if smollm:
                endpoints["SmolLM2-135M"] = stack.enter_context(
                    open_endpoint(llm_settings("", "", cache_dir + "/smol"), Path(cache_dir) / "smol.log"))
            if args.base_url:
                endpoints[args.model or "endpoint"] = stack.enter_context(
                    open_endpoint(llm_settings(args.base_url, args.model, cache_dir + "/remote"),
                                  Path(cache_dir) / "remote.log"))
            seeds = [int(seed) for seed in args.seeds.split(",")]
            table = run(args.n, args.k, seeds, embed, occupations, endpoints, args.only)
    two_levels = two_level_run(args.n, seeds, embed, occupations, args.only)
    meta = (f"Groups: KMeans (k = {args.k}, seeds {args.seeds}) on {MODEL} vectors of each labelled set; names and "
            f"titles embedded with the same model. A name is right when its {NEIGHBORS} nearest labelled titles "
            f"(near-copies, cosine >= {NEAR_COPY_COSINE}, left out) mostly belong to the family most of the group's "
            f"members belong to. Breadth violations: groups of more than {BROAD_GROUP_TITLES} titles named by "
            f"a member's title (as written, without its level, or shown as a class). Best candidate (default "
            f"method only): the share of groups where at least one of the allowed candidates the default chooses "
            f"from is right, what a perfect choice among them would reach. A member's title (default method only): "
            f"the share of groups where some member's own title, used as the name, would be right — what names as "
            f"specific as a title could reach. Default on the same seeds: the default's fidelity on the seeds each "
            f"method ran (LLM methods run on the first seed only). Groups with a majority family: one family "
            f"holds more than half their members; in the other groups the family a name must hit is only the "
            f"largest minority. Total {(time.perf_counter() - started) / 60:.1f} min on 2 shared cores.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(markdown(table, meta, two_levels), encoding="utf-8")
    table.to_csv(out.with_suffix(".csv"), index=False)
    if len(two_levels):  # `--only bundled` has no set with a finer level: keep the committed table
        two_levels.to_csv(out.with_name(f"{out.stem}-two-levels.csv"), index=False)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
