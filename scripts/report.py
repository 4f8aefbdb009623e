"""Snakemake glue: the blog post bundle, its self-contained HTML, the standalone map and its fragment."""

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd

from jobtopics.grouping import category_per_title
from jobtopics.occupations import occupation_groups
from jobtopics.place import weak_placements
from jobtopics.report.build import (build_source, companies_table, current_category_counts, occupations_section,
                                    package_versions)
from jobtopics.report.charts import Charts, map_fragment_html, map_page_html, plotly_source, write_chart_files
from jobtopics.report.data_map import enriched_descriptions, network_map
from jobtopics.report.facts import mark_joined
from jobtopics.report.methods import naming_audit_section
from jobtopics.report.network import category_shares_by_year, connections_per_year
from jobtopics.report.render import render_html
from jobtopics.report.runtimes import read_runtimes
from jobtopics.report.sensitivity import sensitivity_section
from jobtopics.report.static_map import write_static_map
from jobtopics.step import log, run_step
from jobtopics.tables import write_csv_safely


def main():
    inputs, output, settings = snakemake.input, snakemake.output, snakemake.params.report
    assignments = pd.read_parquet(inputs.assignments)
    titles = pd.read_parquet(inputs.titles)
    assignments = mark_joined(assignments, pd.read_parquet(inputs.fit_labels), titles)
    categories = current_category_counts(pd.read_parquet(inputs.categories), assignments)
    # Each current title's category as assigned (per title, so titles of one topic may differ).
    title_categories = titles["title"].map(assignments.drop_duplicates("title").set_index("title")["category"])
    fit = json.loads(Path(inputs.fit_choice).read_text())
    # A reused map's label calls were made (and paid for) by the run that fitted it.
    label_when = "label" if fit["refit"] else f"label (map {fit['fit']}, an earlier run)"
    provenance = {
        "fit": fit,
        "parameters": snakemake.params.parameters,
        "llm": {"enrich": json.loads(Path(inputs.enrich_usage).read_text()),
                **{f"{label_when} {k}": v for k, v in json.loads(Path(inputs.label_usage).read_text()).items()
                   if isinstance(v, dict)}},
        "runtimes": runtimes(inputs, fit),
        "versions": package_versions(Path(snakemake.scriptdir).parent / "envs"),
        "input": json.loads(Path(inputs.input_info).read_text()),
    }
    if not fit["refit"]:
        placed = pd.read_parquet(inputs.placed)
        if not placed["title_key"].equals(titles["title_key"]):
            raise ValueError("placed titles are not in the order of the titles table")
        provenance["placement"] = {**weak_placements(placed, titles["n_people"]), **snakemake.params.placement}
    polished = None
    if "narrative" in inputs.keys():
        story = json.loads(Path(inputs.narrative).read_text(encoding="utf-8"))
        polished = story["polished"]
        provenance["llm"]["narrative"] = story["usage"]
    if "sweep_recommended" in inputs.keys():
        provenance["parameters"]["sweep recommendation (used)"] = json.loads(Path(inputs.sweep_recommended).read_text())
    # The date of the data (the newest connection), not of the run, so reruns give the same report.
    dates = pd.to_datetime(assignments["connected_on"], errors="coerce").dropna()
    date = dates.max().date().isoformat() if len(dates) else dt.date(1970, 1, 1).isoformat()

    tables = Path(output.tables)
    tables.mkdir(parents=True, exist_ok=True)
    post = Path(output.source).parent  # output.charts and output.provenance live in it
    charts = Charts()
    descriptions = enriched_descriptions(titles, pd.read_parquet(inputs.descriptions))
    groups, category_groups = occupation_tables(inputs, titles, title_categories, tables)
    # How each category was named (label step's audit; empty with label.mode: terms).
    naming_audit = naming_audit_section(Path(inputs.naming_audit), set(titles["title"]))
    source = build_source(assignments, categories, len(titles), provenance, Path(inputs.template), settings["title"],
                          settings["description"], date, charts, sensitivity_markdown(inputs, charts),
                          occupations_section(groups, category_groups, snakemake.params.thin_share, charts)
                          if groups is not None else "", polished, descriptions, naming_audit)
    plotly_js, build = plotly_source(charts.trace_types(), Path(snakemake.params.plotly_partial))
    write_chart_files(post, charts, plotly_js)
    Path(output.provenance).write_text(json.dumps(provenance, indent=1, sort_keys=True, ensure_ascii=False,
                                                  default=str), encoding="utf-8")
    write_static_map(assignments, Path(output.map_png), settings["title"])
    write_tables(tables, assignments, categories, inputs)
    Path(output.source).write_text(source, encoding="utf-8")
    renderer = render_html(Path(output.source), Path(output.html))
    standalone_map = network_map(assignments, title=settings["title"], descriptions=descriptions)
    Path(output.map).write_text(map_page_html(standalone_map, plotly_js, settings["title"]), encoding="utf-8")
    Path(output.fragment).write_text(map_fragment_html(network_map(assignments, descriptions=descriptions),
                                                       plotly_js), encoding="utf-8")
    log.info("report: plotly.js %s build; rendered with %s -> %s (%d bytes)", build, renderer, output.html,
             Path(output.html).stat().st_size)


def runtimes(inputs, fit):
    """This run's steps, with the fitted map's steps (run when the map was fitted) after choose_fit."""
    own = read_runtimes(inputs.benchmarks)
    folder = Path(inputs.fit_titles).parent / "benchmarks"
    fitted = read_runtimes([str(folder / f"{step}.tsv") for step in snakemake.params.fit_steps
                            if (folder / f"{step}.tsv").exists()])
    if not fit["refit"]:
        fitted = [{**row, "Step": f"{row['Step']} (map {fit['fit']}, an earlier run)"} for row in fitted]
    cut = next((i + 1 for i, row in enumerate(own) if row["Step"] == "choose_fit"), len(own))
    return own[:cut] + fitted + own[cut:]


def title_category_per_title(labels_path, inputs):
    """Each title's category (in the order of the table at labels_path), from its topic."""
    topics = pd.read_parquet(labels_path)["topic"]
    topic_categories = pd.read_parquet(inputs.topic_categories).set_index("topic")["category"]
    return topics.map(topic_categories).to_numpy(dtype=object)


def occupation_tables(inputs, titles, title_categories, tables):
    if "occupations" not in inputs.keys():
        return None, None
    occupations = pd.read_parquet(inputs.occupations)
    groups = occupation_groups(titles["n_people"].to_numpy(), occupations["soc_major"].to_numpy(),
                            snakemake.params.thin_share)
    write_csv_safely(groups, tables / "occupation-groups.csv")
    names = dict(zip(groups["soc_major"], groups["group"]))
    by_category = pd.DataFrame({"category": title_categories, "group": occupations["soc_major"].map(names),
                                "people": titles["n_people"]})
    majority = (by_category.groupby(["category", "group"])["people"].sum().reset_index()
                .sort_values(["category", "people", "group"], ascending=[True, False, True], kind="stable")
                .drop_duplicates("category"))
    share = majority["people"] / majority["category"].map(by_category.groupby("category")["people"].sum())
    category_groups = pd.DataFrame({"Category": majority["category"], "Nearest occupation group": majority["group"],
                                    "Share of its people": [f"{value:.0%}" for value in share]})
    return groups, category_groups


def write_tables(tables, assignments, categories, inputs):
    """Every table of the post as CSV next to it, for readers who want the numbers."""
    write_csv_safely(categories.assign(terms=categories["terms"].map(", ".join),
                                       examples=categories["examples"].map(" | ".join)
                                       ).drop(columns=["topics"], errors="ignore"), tables / "categories.csv")
    write_csv_safely(connections_per_year(assignments), tables / "connections-per-year.csv")
    write_csv_safely(category_shares_by_year(assignments), tables / "category-shares-by-year.csv")
    write_csv_safely(companies_table(assignments), tables / "companies.csv")
    if "sweep_settings" in inputs.keys():
        write_csv_safely(pd.read_parquet(inputs.sweep_settings), tables / "sweep-settings.csv")


def sensitivity_markdown(inputs, charts):
    """The Sensitivity section (heading included), or nothing when the sweep is off.

    It describes the fitted map: its titles and people as they were when the sweep ran.
    """
    if "sweep_settings" not in inputs.keys():
        return ""
    sweep_dir = Path(inputs.sweep_settings).parent
    labels_of = {str(Path(path).parent.relative_to(sweep_dir)): pd.read_parquet(path)["topic"].to_numpy()
                 for path in inputs.sweep_labels}
    embeddings, level_free = np.load(inputs.fit_embeddings), np.load(inputs.fit_level_free)
    people = pd.read_parquet(inputs.fit_titles)["n_people"].to_numpy()

    def categories_of(topics):
        return category_per_title(embeddings, topics, people, level_free=level_free, **snakemake.params.replay)

    section = sensitivity_section(pd.read_parquet(inputs.sweep_settings), pd.read_parquet(inputs.sweep_cells),
                                  json.loads(Path(inputs.sweep_recommended).read_text()), labels_of,
                                  title_category_per_title(inputs.fit_labels, inputs), people, categories_of, charts,
                                  map_uses_pick=snakemake.params.parameters["cluster"]["params"] == "auto")
    return "## Sensitivity: how much the map depends on the settings\n\n" + section


run_step(snakemake.log[0], main)
