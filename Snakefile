# jobtopics: what does my network do for a living?
# Entry point: `snakemake --cores all` (settings in config/config.yaml or --config).

from snakemake.utils import min_version

# The version the workflow is tested with (requirements.txt); older ones are not.
min_version("9.27")


configfile: "config/config.yaml"


report: "report/workflow.rst"


include: "rules/common.smk"
include: "rules/ingest.smk"
include: "rules/titles.smk"
include: "rules/enrich.smk"
include: "rules/embed.smk"
include: "rules/choose_fit.smk"
include: "rules/sweep.smk"
include: "rules/reduce.smk"
include: "rules/cluster.smk"
include: "rules/topics.smk"
include: "rules/label.smk"
include: "rules/outliers.smk"
include: "rules/place.smk"
include: "rules/assign.smk"
include: "rules/occupations.smk"
include: "rules/narrative.smk"
include: "rules/report.smk"


rule all:
    default_target: True
    input:
        final_targets(),
        fit_inputs,
