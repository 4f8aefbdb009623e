"""Snakemake glue: one short job description per unique title (LLM, or the title itself)."""

import json
from pathlib import Path

import pandas as pd

from jobtopics.enrich import descriptions_without_llm, enrich_titles, estimate_enrichment
from jobtopics.llm.endpoint import describe_usage, open_cached_answers, open_endpoint, stop_for_dry_run
from jobtopics.step import llm_settings, log, run_step


def main():
    titles = pd.read_parquet(snakemake.input.titles)
    llm = llm_settings(snakemake)
    if snakemake.params.mode == "none" or titles.empty:
        descriptions, usage = descriptions_without_llm(titles), {"mode": snakemake.params.mode}
    elif llm["dry_run"]:
        estimate = estimate_enrichment(titles, llm)
        log.info("enrich dry run: %s", json.dumps(estimate))
        if estimate["to_send"]:
            stop_for_dry_run(
                llm, f"{estimate['to_send']} of {estimate['unique_titles']} unique titles to send to {estimate['model']} "
                     f"({estimate['cached']} cached), ~{estimate['estimated_input_tokens']} input + "
                     f"~{estimate['estimated_output_tokens']} output tokens, estimated cost {estimate['estimated_cost']}")
        # Every description is cached: the dry run goes on without sending anything.
        with open_cached_answers(llm) as endpoint:
            descriptions, stats = enrich_titles(titles, endpoint, 0)
            usage = describe_usage(endpoint, llm, stats)
    else:
        with open_endpoint(llm, snakemake.log[0]) as endpoint:
            descriptions, stats = enrich_titles(titles, endpoint, llm["max_requests"])
            usage = describe_usage(endpoint, llm, stats)
    descriptions.to_parquet(snakemake.output.descriptions, index=False)
    Path(snakemake.output.usage).write_text(json.dumps(usage, indent=2))


run_step(snakemake.log[0], main)
