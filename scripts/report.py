"""Snakemake glue: the report's Quarto source, its self-contained HTML and the standalone map."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from jobtopics.report.build import build_source, package_versions, write_map_page
from jobtopics.report.render import render_html
from jobtopics.report.runtimes import read_runtimes
from jobtopics.report.sensitivity import sensitivity_section
from jobtopics.step import log, run_step


def main():
    inputs, output, settings = snakemake.input, snakemake.output, snakemake.params.report
    assignments = pd.read_csv(inputs.assignments, dtype={"id": str, "position": str, "company": str, "title": str})
    provenance = {
        "parameters": snakemake.params.parameters,
        "llm": {"enrich": json.loads(Path(inputs.enrich_usage).read_text()),
                **{f"label {k}": v for k, v in json.loads(Path(inputs.label_usage).read_text()).items()
                   if isinstance(v, dict)}},
        "runtimes": read_runtimes(inputs.benchmarks),
        "versions": package_versions(),
        "input": json.loads(Path(inputs.input_info).read_text()),
    }
    # The date of the data (the newest connection), not of the run, so reruns give the same report.
    dates = pd.to_datetime(assignments["connected_on"], errors="coerce").dropna()
    date = dates.max().date().isoformat() if len(dates) else dt.date(1970, 1, 1).isoformat()
    titles = pd.read_parquet(inputs.titles)
    source = build_source(assignments, pd.read_parquet(inputs.categories), len(titles), provenance,
                          Path(inputs.template), settings["title"], settings["description"], date,
                          sensitivity_markdown(inputs, titles))
    Path(output.source).parent.mkdir(parents=True, exist_ok=True)
    Path(output.source).write_text(source, encoding="utf-8")
    renderer = render_html(Path(output.source), Path(output.html))
    write_map_page(assignments, Path(output.map), settings["title"])
    log.info("report: rendered with %s -> %s", renderer, output.html)


def sensitivity_markdown(inputs, titles):
    """The Sensitivity section (heading included), or nothing when the sweep is off."""
    if "sweep_settings" not in inputs.keys():
        return ""
    topics = pd.read_parquet(inputs.labels)["topic"]
    topic_categories = pd.read_parquet(inputs.topic_categories).set_index("topic")["category"]
    labels_of = {str(Path(path).parent.relative_to("results/sweep")): pd.read_parquet(path)["topic"].to_numpy()
                 for path in inputs.sweep_labels}
    section = sensitivity_section(pd.read_parquet(inputs.sweep_settings), pd.read_parquet(inputs.sweep_cells),
                                  json.loads(Path(inputs.sweep_recommended).read_text()), labels_of,
                                  topics.map(topic_categories).to_numpy(dtype=object),
                                  titles["n_people"].to_numpy())
    return "## Sensitivity: how much the map depends on the settings\n\n" + section


run_step(snakemake.log[0], main)
