rule titles:
    input:
        people=rules.ingest.output.people,
    output:
        titles="results/titles/titles.parquet",
        person_titles="results/titles/person_titles.parquet",
    log:
        "logs/titles.log",
    benchmark:
        "results/benchmarks/titles.tsv"
    conda:
        "../envs/titles.yaml"
    params:
        code_version=script_code_version("titles"),
    script:
        "../scripts/titles.py"
