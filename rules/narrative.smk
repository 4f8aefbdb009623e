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
        llm=llm_answer_settings(),
        code_version=script_code_version("narrative"),
    script:
        "../scripts/narrative.py"
