# Local: cheap steps that only read and write small tables.
localrules:
    choose_fit,
    stage_fit,


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
        text=config["embed"]["text"],
        code_version=script_code_version("choose_fit"),
    script:
        "../scripts/choose_fit.py"


# A new fitted map's inputs, as rule outputs so Snakemake rebuilds any that go missing. The folder is named by the
# hash of its titles, so its inputs never change under one name: ancient() keeps a rerun with the same titles (or a
# reused map) from rewriting them, which would refit the whole map.
rule stage_fit:
    input:
        # str(): ancient() flags the file object it is given, which is the producing rule's own output.
        titles=ancient(str(rules.titles.output.titles)),
        descriptions=ancient(str(rules.enrich.output.descriptions)),
        embeddings=ancient(str(rules.embed.output.embeddings)),
        level_free=ancient(str(rules.embed.output.level_free)),
    output:
        titles=f"{FIT}/titles.parquet",
        descriptions=f"{FIT}/descriptions.parquet",
        embeddings=f"{FIT}/embeddings.npy",
        level_free=f"{FIT}/level_free.npy",
        info=f"{FIT}/fit.json",
    log:
        f"{FIT_LOGS}/stage_fit.log",
    benchmark:
        f"{FIT}/benchmarks/stage_fit.tsv"
    conda:
        "../envs/choose_fit.yaml"
    # No code_version: a library edit must not stage a map's inputs again (that refits the whole map, and a reused
    # map's folder cannot be staged from this export at all); the inputs are copies, whatever the code.
    params:
        fingerprint=fit_fingerprint(),
    script:
        "../scripts/stage_fit.py"
