"""Snakemake glue: one short job description per unique title (LLM, or the title itself)."""

import json
from pathlib import Path

import pandas as pd

from jobtopics.enrich import descriptions_without_llm, enrich_titles
from jobtopics.llm.endpoint import describe_usage, open_endpoint
from jobtopics.step import run_step


def main():
    titles = pd.read_parquet(snakemake.input.titles)
    llm = snakemake.params.llm
    if snakemake.params.mode == "none" or titles.empty:
        descriptions, usage = descriptions_without_llm(titles), {"mode": snakemake.params.mode}
    else:
        with open_endpoint(llm, snakemake.log[0]) as endpoint:
            descriptions, stats = enrich_titles(titles, endpoint, llm["max_requests"])
            usage = describe_usage(endpoint, llm, stats)
    descriptions.to_parquet(snakemake.output.descriptions, index=False)
    Path(snakemake.output.usage).write_text(json.dumps(usage, indent=2))


run_step(snakemake.log[0], main)
