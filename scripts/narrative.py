"""Snakemake glue: the report's facts paragraph, rewritten for a blog by the LLM when it stays faithful."""

import json
from pathlib import Path

import pandas as pd

from jobtopics.llm.endpoint import describe_usage, open_endpoint, planned_settings, stop_for_dry_run
from jobtopics.narrative import polish
from jobtopics.report.facts import mark_joined, narrative, report_facts
from jobtopics.step import llm_settings, log, run_step


def main():
    llm = llm_settings(snakemake)
    titles = pd.read_parquet(snakemake.input.titles)
    assignments = mark_joined(pd.read_parquet(snakemake.input.assignments), pd.read_parquet(snakemake.input.fit_labels),
                              titles)
    facts = report_facts(assignments, len(titles))
    text = narrative(facts)
    names = [name for name, _ in facts.top_categories]
    stop_for_dry_run(llm, f"the narrative step would send one request to {planned_settings(llm).model} to rewrite "
                          "the report's paragraph")
    with open_endpoint(llm, snakemake.log[0]) as endpoint:
        polished, stats = polish(text, names, endpoint, llm["max_requests"])
        usage = describe_usage(endpoint, llm, stats)
    Path(snakemake.output.narrative).write_text(
        json.dumps({"facts": text, "polished": polished, "usage": usage}, indent=2, ensure_ascii=False),
        encoding="utf-8")
    log.info("narrative: %s", "rewritten by the LLM" if polished else "facts paragraph kept")


run_step(snakemake.log[0], main)
