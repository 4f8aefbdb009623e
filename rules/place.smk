rule place:
    input:
        unpack(place_inputs),
        choice=rules.choose_fit.output.choice,
        titles=rules.titles.output.titles,
        embeddings=rules.embed.output.embeddings,
    output:
        placed="results/place/titles.parquet",
    log:
        "logs/place.log",
    benchmark:
        "results/benchmarks/place.tsv"
    conda:
        "../envs/place.yaml"
    params:
        neighbors=config["update"]["neighbors"],
    script:
        "../scripts/place.py"
