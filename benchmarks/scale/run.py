"""Scaling benchmark: wall time and peak memory per step as the network grows.

Synthetic LinkedIn exports of 1K, 7K and 30K contacts (`data/make_example.py --variety high`) and a
100K-row generic CSV (HR-scale, LLM off), run through the whole workflow with the default config.
The LLM is the fake OpenAI-compatible server at a fixed latency, so the numbers are about the workflow.
For the 7K export also: a no-op rerun, an end-to-end run with the enrichment cached, and reruns after
adding 100 new contacts (placed onto the fitted map, and refitted). Embedding throughput is measured on the 100K
titles (and set against a FLOP-bound estimate for this CPU when the model is MiniLM). Snakemake runs with `scontrol` shimmed to fail at once (see
without_slurm_probe); one no-op rerun with the probe shows what it costs here.

Run: `make bench-scale` (all sizes, ~20 min on 2 cores) or `--sizes 1k` for a quick look.
Writes docs/scale.md, docs/scale-steps.csv (per step and size) and docs/scale-{time,memory}.png (named after --out).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "data"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fake_llm_server import FakeLLMServer  # noqa: E402
from jobtopics.report.build import jobtopics_version  # noqa: E402
from jobtopics.report.runtimes import MEMORY_SAMPLING_S  # noqa: E402
from make_example import generate_rows, write_export  # noqa: E402
from slurm_probe import without_slurm_probe  # noqa: E402
from workflow_run import steps_run  # noqa: E402

# "smoke" sizes only keep the script from rotting (tests/test_benchmarks_smoke.py).
SIZES = {"smoke": (150, "linkedin"), "smoke-csv": (150, "csv"), "1k": (1_000, "linkedin"), "7k": (7_000, "linkedin"), "30k": (30_000, "linkedin"),
         "100k": (100_000, "csv"), "7k-offline": (7_000, "offline"), "example": (600, "offline")}
MINILM = "bundled:all-MiniLM-L6-v2"
EMBED_MODEL = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))["embed"]["model"]
# The bundled example (what `make run` reads) instead of a generated export.
BUNDLED_EXAMPLE = ROOT / "data" / "example" / "Connections.csv"
# The speed target of the offline case (issue: a new user's 7K export, cold, on 2 cores).
OFFLINE_TARGET = {"7k-offline": "≤ 90 s"}
INCREMENT = 100


def write_generic_csv(rows: list[dict], path: Path) -> None:
    """The same people as an HR system would export them: one row each, no names needed."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["employee_ref", "job_title", "employer", "start_date"])
        for number, row in enumerate(rows):
            writer.writerow([f"E{number:06d}", row["Position"], row["Company"], row["Connected On"]])


def snakemake(workdir: Path, config: Path, *extra: str, probe: bool = False,
              environment: dict[str, str] | None = None) -> tuple[float, str]:
    """Run the workflow; without the SLURM plugin's probe unless `probe`; `environment`: variables to add."""
    command = [sys.executable, "-m", "snakemake", *extra, "-s", str(ROOT / "Snakefile"), "--directory",
               str(workdir), "--cores", "2", "--configfile", str(ROOT / "config" / "config.yaml"), str(config)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**(os.environ if probe else without_slurm_probe(workdir)), **(environment or {})})
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"snakemake failed in {workdir}:\n{done.stderr[-3000:]}")
    return elapsed, done.stdout + done.stderr


def step_table(workdir: Path) -> pd.DataFrame:
    """Per step: wall seconds and peak resident memory (MB) from Snakemake's benchmark files (the
    fitted map's steps write theirs under results/fit/<id>/benchmarks/)."""
    rows = []
    results = workdir / "results"
    for path in sorted([*(results / "benchmarks").glob("*.tsv"), *(results / "fit").glob("*/benchmarks/*.tsv")]):
        table = pd.read_csv(path, sep="\t")
        step = "sweep_batch" if path.stem.startswith("sweep_batch_") else path.stem
        seconds = float(table["s"].iloc[-1])
        # Shorter steps have only Snakemake's first memory sample, taken before the script loaded anything.
        rss = float(pd.to_numeric(table["max_rss"], errors="coerce").iloc[-1]) if seconds >= MEMORY_SAMPLING_S \
            else float("nan")
        rows.append({"step": step, "s": seconds, "max_rss_mb": rss})
    frame = pd.DataFrame(rows)
    return frame.groupby("step", sort=False).agg(s=("s", "sum"), max_rss_mb=("max_rss_mb", "max")).reset_index()


def cpu_gflops() -> float:
    """Measured float32 matrix-multiply throughput of this machine (all cores), GFLOP/s."""
    import torch

    a, b = torch.randn(2048, 2048), torch.randn(2048, 2048)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - started)
    return 2 * 2048**3 / best / 1e9


def embedding_flops_per_text(texts: list[str]) -> tuple[float, float]:
    """(mean tokens, forward FLOPs per text) of the bundled MiniLM: 2 x non-embedding parameters per token."""
    from sentence_transformers import SentenceTransformer

    from jobtopics.embed import resolve_model

    model = SentenceTransformer(resolve_model(MINILM), device="cpu")
    tokens = np.mean([len(model.tokenizer(text, truncation=True, max_length=256)["input_ids"]) for text in texts])
    encoder = model[0].auto_model
    dense = sum(p.numel() for name, p in encoder.named_parameters() if "embeddings" not in name)
    return float(tokens), 2.0 * dense * float(tokens)


def onet_embedding_seconds() -> float:
    """What the shipped O*NET vectors save: embedding the 1,016 occupation texts with the default model, in a fresh
    process as a workflow step would (another embed.model pays this once, then its embedding cache serves)."""
    code = ("import time, yaml; from jobtopics.embed import embed_texts; "
            "from jobtopics.occupations import load_occupations, occupation_texts; "
            f"embed = yaml.safe_load(open({str(ROOT / 'config' / 'config.yaml')!r}))['embed']; "
            "texts = occupation_texts(load_occupations()); started = time.perf_counter(); "
            "embed_texts(texts, embed['model'], local_language=embed['local_language']); "
            "print(time.perf_counter() - started)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def run_size(name: str, scratch: Path, server: FakeLLMServer, concurrency: int) -> dict:
    n_rows, kind = SIZES[name]
    workdir = scratch / name
    workdir.mkdir()
    rows = generate_rows(n_rows, seed=7, variety="high")
    config = {"llm": {"base_url": server.base_url, "model": "fake-model", "max_concurrency": concurrency,
                      "cache_dir": str(workdir / "cache")}}
    if kind == "offline":  # the shipped default as a new user runs it: no endpoint, cold caches
        config = {"llm": {"cache_dir": str(workdir / "cache")}}
    if name == "example":
        export = workdir / "Connections.csv"
        shutil.copyfile(BUNDLED_EXAMPLE, export)
        config["input"] = str(export)
    elif kind in ("linkedin", "offline"):
        export = workdir / "Connections.csv"
        write_export(rows, export)
        config["input"] = str(export)
    else:
        export = workdir / "people.csv"
        write_generic_csv(rows, export)
        config.update({"input": str(export), "input_format": "csv", "title_column": "job_title",
                       "company_column": "employer", "date_column": "start_date",
                       "enrich": {"mode": "none"}, "label": {"mode": "terms"}})
    config_path = workdir / "bench-config.yaml"
    config_path.write_text(json.dumps(config))
    asked = server.request_count
    wall, _ = snakemake(workdir, config_path)
    result = {"name": name, "rows": n_rows, "kind": kind, "wall_s": wall, "requests": server.request_count - asked,
              "steps": step_table(workdir),
              "unique_titles": len(pd.read_parquet(workdir / "results" / "titles" / "titles.parquet"))}
    if kind == "offline":
        result["noop_s"], output = snakemake(workdir, config_path)
        assert "Nothing to be done" in output, output[-2000:]
        result["onet_live_s"] = onet_embedding_seconds()
        # A new install's first run: numba compiles UMAP's and pynndescent's functions during it, not before.
        shutil.rmtree(workdir / "results")
        shutil.rmtree(workdir / "cache")
        result["fresh_numba_s"], _ = snakemake(workdir, config_path,
                                               environment={"NUMBA_CACHE_DIR": str(workdir / "empty-numba-cache")})
    if name in ("7k", "smoke"):
        result["noop_s"], output = snakemake(workdir, config_path)
        assert "Nothing to be done" in output, output[-2000:]
        result["noop_probe_s"], _ = snakemake(workdir, config_path, probe=True)
        shutil.rmtree(workdir / "results")
        result["cached_wall_s"], _ = snakemake(workdir, config_path)
        result["cached_steps"] = step_table(workdir)
        more = generate_rows(INCREMENT, seed=8, variety="high")
        write_export(rows + more, export)
        asked = server.request_count
        result["increment_s"], output = snakemake(workdir, config_path)
        result["increment_steps"] = steps_run(output)
        result["increment_requests"] = server.request_count - asked
        embed_log = (workdir / "logs" / "embed.log").read_text()
        result["increment_embedded"] = embed_log.rsplit("newly embedded", 1)[0].rsplit("(", 1)[-1].strip()
        result["increment_fit"] = json.loads((workdir / "results" / "fit" / "current.json").read_text())
        # The same change with a refit, as a first run on the new export would do it.
        config_path.write_text(json.dumps({**config, "update": {"refit_share": 0}}))
        result["refit_s"], _ = snakemake(workdir, config_path)
    if kind == "csv":
        texts = pd.read_parquet(workdir / "results" / "titles" / "titles.parquet")["title"].tolist()
        result["embed_texts"] = texts
    return result


def write_report(results: list[dict], out: Path, latency: float, concurrency: int) -> None:
    kinds = {r["kind"] for r in results}
    # Only what this run did: an offline-only run has no LLM server and no generic CSV.
    setup = ["Machine: 2 CPU cores, no GPU."]
    if kinds & {"linkedin", "csv"}:
        setup.append(f"LLM: the fake OpenAI-compatible server, {latency:g} s per request, concurrency {concurrency}.")
    if "offline" in kinds:
        setup.append("Offline rows: no endpoint, the shipped default config, cold caches.")
    setup.append("Default config otherwise (sweep of 36 cells, O*NET occupations on). Synthetic exports from "
                 "`data/make_example.py --seed 7 --variety high`.")
    if "csv" in kinds:
        setup.append("The 100K case is a generic CSV (HR-scale) with `enrich: none` and `label: terms`.")
    lines = ["# Scaling benchmark", "",
             f"Generated by `benchmarks/scale/run.py {' '.join(sys.argv[1:])}` (`make bench-scale`) at jobtopics "
             f"{jobtopics_version(ROOT)}; do not edit by hand.", "",
             " ".join(setup), "",
             "## End to end", "",
             "| input | contacts | unique titles | LLM requests | wall time (s) | largest step peak memory (MB) |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['name']} ({r['kind']}) | {r['rows']:,} | {r['unique_titles']:,} | {r['requests']:,} | "
                     f"{r['wall_s']:.0f} | {r['steps']['max_rss_mb'].max():.0f} |")
    lines += ["", "## Per step: wall time (s) / peak memory (MB)", "",
              "Snakemake samples a step's memory at its start and then every half second at first: a step that "
              "ends within half a second shows –.", ""]
    steps = list(dict.fromkeys(step for r in results for step in r["steps"]["step"]))
    lines.append("| step | " + " | ".join(r["name"] for r in results) + " |")
    lines.append("|---|" + "---:|" * len(results))
    for step in steps:
        cells = []
        for r in results:
            row = r["steps"][r["steps"]["step"] == step]
            memory = row["max_rss_mb"].iloc[0] if len(row) else float("nan")
            cells.append(f"{row['s'].iloc[0]:.1f} / {'–' if np.isnan(memory) else f'{memory:.0f}'}" if len(row)
                         else "–")
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    for offline in (r for r in results if r["kind"] == "offline"):
        lines += ["", f"## {offline['name']}: the shipped default as a new user runs it", "",
                  "No endpoint configured (titles embedded as they are, names from evidence), default config, cold "
                  "caches (fresh results/ and cache folder). O*NET's vectors under the default model come with the "
                  "package (jobtopics/data/, `make onet-vectors`, checked by tests/test_occupations.py); the last "
                  "row is what embedding them on this machine would cost instead. UMAP's and pynndescent's numba "
                  "functions are kept compiled beside the installed packages by the first run after `make install` "
                  "(jobtopics/reduce.py); the third row is that first run, numba compiling during it.", "",
                  "| run | wall time (s) | target |", "|---|---:|---|",
                  f"| end to end, {offline['rows']:,} contacts ({offline['unique_titles']:,} unique titles) | "
                  f"{offline['wall_s']:.0f} | {OFFLINE_TARGET.get(offline['name'], '–')} |",
                  f"| no-op rerun | {offline['noop_s']:.1f} | ≤ 5 s |",
                  f"| end to end, cold, numba's functions not yet compiled (a new install's first run) | "
                  f"{offline['fresh_numba_s']:.0f} | – |",
                  f"| O*NET's 1,016 texts embedded live (not part of the run) | {offline['onet_live_s']:.0f} | – |"]
    seven = next((r for r in results if "increment_s" in r), None)
    if seven:
        fit = seven["increment_fit"]
        lines += ["", f"## Reruns of the {seven['name']} export", "",
                  "| run | wall time (s) | target |", "|---|---:|---|",
                  f"| first run (cold LLM cache) | {seven['wall_s']:.0f} | |",
                  f"| no-op rerun (`snakemake` again: nothing to do) | {seven['noop_s']:.1f} | ≤ 5 s |",
                  f"| the same with the SLURM plugin's `scontrol` probe timing out (SLURM client installed, no "
                  f"controller: this machine, not a laptop or a cluster) | {seven['noop_probe_s']:.1f} | |",
                  f"| end to end with the enrichment cached (results/ deleted) | {seven['cached_wall_s']:.0f} | ≤ 180 s |",
                  f"| +{INCREMENT} contacts: {fit['new_titles']} new titles "
                  f"{'and a refit' if fit['refit'] else 'placed onto the fitted map'} "
                  f"({seven['increment_requests']} LLM requests, {seven['increment_embedded']} titles newly embedded) "
                  f"| {seven['increment_s']:.1f} | ≤ 10 % of a full run: {seven['increment_s'] / seven['wall_s']:.0%} "
                  f"of the first run, {seven['increment_s'] / seven['cached_wall_s']:.0%} of the cached one |",
                  f"| the same +{INCREMENT} with `update.refit_share: 0` (refit, as a first run on the new export) "
                  f"| {seven['refit_s']:.0f} | |",
                  "", f"Steps the +{INCREMENT} rerun ran: {', '.join(seven['increment_steps'])}. "
                  f"Choice: {fit['reason']}.",
                  "", "Timings run with `scontrol` shimmed to fail at once, as on a machine without SLURM: the "
                  "SLURM executor plugin asks `scontrol show config` whenever Snakemake starts, and here (client "
                  "installed for the SLURM test, no controller running) that waits ~9 s."]
    throughput = next((r for r in results if "embed_texts" in r), None)
    if throughput:
        embed_s = float(throughput["steps"].set_index("step").loc["embed", "s"])
        texts = throughput["embed_texts"]
        measured = len(texts) / embed_s
        lines += ["", "## Embedding throughput", "",
                  f"{throughput['name']}: {len(texts):,} titles embedded with `{EMBED_MODEL}` in {embed_s:.1f} s "
                  f"(step time, model load included) = **{measured:,.0f} titles/s**."]
        if EMBED_MODEL == MINILM:  # the FLOP estimate reads a sentence-transformers model's parameters
            tokens, flops = embedding_flops_per_text(texts)
            gflops = cpu_gflops()
            bound = gflops * 1e9 / flops
            lines[-1] += (f" Mean {tokens:.1f} tokens; MiniLM-L6 needs ~{flops / 1e6:.0f} MFLOP per title (2 × "
                          f"non-embedding parameters × tokens); this CPU multiplies float32 matrices at {gflops:.0f} "
                          f"GFLOP/s, so the FLOP bound is ~{bound:,.0f} titles/s: the step reaches {measured / bound:.0%} "
                          "of it (padding, attention, tokenisation and model loading take the rest).")
    plot(results, out)
    pd.concat([r["steps"].assign(input=r["name"], unique_titles=r["unique_titles"]) for r in results]).to_csv(
        out.with_name(out.stem + "-steps.csv"), index=False)
    lines += ["", f"![time vs size]({out.stem}-time.png)", "", f"![memory vs size]({out.stem}-memory.png)", ""]
    out.write_text("\n".join(lines), encoding="utf-8")


def plot(results: list[dict], out: Path) -> None:
    """<out stem>-time.png and <out stem>-memory.png beside the report."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    titles = [r["unique_titles"] for r in results]
    steps = sorted(dict.fromkeys(step for r in results for step in r["steps"]["step"]))
    # One colour and marker per step: the default 10-colour cycle repeats with 16 steps.
    colours = plt.get_cmap("tab20").colors
    markers = "os^vD<>Ph*Xdp8H+"
    for name, column, label in (("time", "s", "wall time (s)"), ("memory", "max_rss_mb", "peak memory (MB)")):
        figure, axes = plt.subplots(figsize=(9.5, 4.5), dpi=100)
        for number, step in enumerate(steps):
            values = [float(r["steps"].set_index("step")[column].get(step, np.nan)) for r in results]
            axes.plot(titles, values, marker=markers[number % len(markers)], color=colours[number % len(colours)],
                      label=step)
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("unique titles")
        axes.set_ylabel(label)
        axes.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
        figure.tight_layout()
        figure.savefig(out.with_name(f"{out.stem}-{name}.png"), metadata={"Software": None})
        plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1k,7k,30k,100k", help=f"comma-separated subset of {', '.join(SIZES)}")
    parser.add_argument("--latency", type=float, default=0.2, help="fake LLM seconds per request")
    parser.add_argument("--concurrency", type=int, default=8, help="llm.max_concurrency")
    parser.add_argument("--out", default=str(ROOT / "docs" / "scale.md"))
    args = parser.parse_args()
    names = [name.strip() for name in args.sizes.split(",")]
    unknown = set(names) - set(SIZES)
    if unknown:
        sys.exit(f"unknown sizes {sorted(unknown)} (known: {', '.join(SIZES)})")
    results = []
    with tempfile.TemporaryDirectory(prefix="jobtopics-scale-") as scratch, \
            FakeLLMServer(latency=args.latency) as server:
        for name in names:
            print(f"running {name} ...", flush=True)
            results.append(run_size(name, Path(scratch), server, args.concurrency))
            print(f"  {results[-1]['wall_s']:.0f} s, {results[-1]['unique_titles']} unique titles", flush=True)
    write_report(results, Path(args.out), args.latency, args.concurrency)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
