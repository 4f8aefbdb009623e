rule narrative:
    input:
        unpack(narrative_inputs),
        assignments=rules.assign.output.assignments,
        titles=rules.titles.output.titles,
    output:
        narrative="results/narrative/narrative.json",
    log:
        "logs/narrative.log",
    benchmark:
        "results/benchmarks/narrative.tsv"
    conda:
        "../envs/label.yaml"
    params:
        llm=config["llm"],
    script:
        "../scripts/narrative.py"
