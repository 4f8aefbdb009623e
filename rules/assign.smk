rule assign:
    input:
        unpack(assign_inputs),
        people=rules.ingest.output.people,
        titles=rules.titles.output.titles,
        person_titles=rules.titles.output.person_titles,
        placed=rules.place.output.placed,
    output:
        # The parquet keeps every title as written; later steps read it, never the spreadsheet-safe CSV.
        assignments="results/assignments.parquet",
        assignments_csv=report(
            "results/assignments.csv",
            caption="../report/captions/assignments.rst",
            category="Tables",
        ),
    log:
        "logs/assign.log",
    benchmark:
        "results/benchmarks/assign.tsv"
    conda:
        "../envs/assign.yaml"
    params:
        code_version=script_code_version("assign"),
    script:
        "../scripts/assign.py"
