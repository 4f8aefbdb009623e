# Before the steps that read them: label (naming candidates) and occupations.
rule occupation_vectors:
    output:
        vectors=ONET_VECTORS,
    log:
        "logs/occupation_vectors.log",
    benchmark:
        "results/benchmarks/occupation_vectors.tsv"
    conda:
        "../envs/occupations.yaml"
    resources:
        gpu=gpu_count("occupation_vectors"),
    params:
        embed=embedding_settings(),
        code_version=script_code_version("occupation_vectors"),
    script:
        "../scripts/occupation_vectors.py"


rule occupations:
    input:
        titles=rules.titles.output.titles,
        embeddings=rules.embed.output.embeddings,
        onet_vectors=rules.occupation_vectors.output.vectors,
    output:
        occupations="results/occupations/title_occupations.parquet",
    log:
        "logs/occupations.log",
    benchmark:
        "results/benchmarks/occupations.tsv"
    conda:
        "../envs/occupations.yaml"
    params:
        code_version=script_code_version("occupations"),
    script:
        "../scripts/occupations.py"
