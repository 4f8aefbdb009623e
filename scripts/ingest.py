"""Snakemake glue: read the export, drop names/emails/URLs, write the people table."""

import hashlib
import json
from pathlib import Path

from jobtopics.ingest import IngestOptions, read_people
from jobtopics.step import log, run_step


def main():
    source = Path(snakemake.input.export)
    params = snakemake.params
    options = IngestOptions(
        input_format=params.input_format,
        title_column=params.title_column,
        company_column=params.company_column,
        date_column=params.date_column,
        max_bytes=int(params.max_input_mb * 1024 * 1024),
    )
    people = read_people(source, options)
    people.to_parquet(snakemake.output.people, index=False)
    info = {
        "file": source.name,
        "format": options.input_format,
        "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "rows": len(people),
        "rows_with_position": int((people["position"].fillna("") != "").sum()),
        "rows_with_date": int(people["connected_on"].notna().sum()),
    }
    Path(snakemake.output.info).write_text(json.dumps(info, indent=2))
    log.info("ingest: %d rows, %d with a position", info["rows"], info["rows_with_position"])


run_step(snakemake.log[0], main)
