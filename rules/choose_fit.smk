# Local: cheap, and it writes the new map's folder, which Snakemake does not track as an output.
localrules:
    choose_fit,


checkpoint choose_fit:
    input:
        titles=rules.titles.output.titles,
        descriptions=rules.enrich.output.descriptions,
        embeddings=rules.embed.output.embeddings,
    output:
        choice="results/fit/current.json",
    log:
        "logs/choose_fit.log",
    benchmark:
        "results/benchmarks/choose_fit.tsv"
    conda:
        "../envs/choose_fit.yaml"
    params:
        fingerprint=fit_fingerprint(),
        refit_share=config["update"]["refit_share"],
        code_version=script_code_version("choose_fit"),
    script:
        "../scripts/choose_fit.py"
