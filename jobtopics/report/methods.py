"""The Methods section as a reader reads it: tidy tables (one setting per row, rounded numbers, no raw JSON,
no nan/None), the sweep's choice in a sentence. The full machine-readable provenance stays a file of the bundle
(provenance.json)."""

from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from ..role import strip_level
from ..titles import title_key
from .render import html_table

NOT_SET = "not set"
PROVENANCE_FILE = "provenance.json"
SWEEP_CHOICE = "sweep recommendation (used)"
FIT_FIELDS = {
    "fit": "Map id", "refit": "Fitted by this run", "titles_in_fit": "Titles in the fitted map",
    "titles_now": "Titles in this export", "new_titles": "Titles new since the fit",
    "gone_titles": "Titles gone since the fit", "reason": "Why", "own_fit": "Id a map fitted on these titles has",
}
# A map fitted by this run has every title; its counts compare with the closest earlier map instead.
REFIT_FIELDS = {**FIT_FIELDS, "new_titles": "Titles new since the closest earlier map (all when there is none)",
                "gone_titles": "Titles gone since the closest earlier map"}
INPUT_FIELDS = {"sha256": "Checksum (SHA-256)"}


def readable(value: object) -> str:
    """One value as a reader wants it: numbers rounded, lists joined, missing values said in words."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_SET
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return f"{value:.3g}" if value != int(value) or abs(value) >= 1e6 else f"{int(value)}"
    if isinstance(value, (list, tuple)):
        return ", ".join(readable(item) for item in value) if value else "none"
    if isinstance(value, dict):
        return "; ".join(f"{key} {readable(item)}" for key, item in value.items()) if value else "none"
    text = str(value)
    return text if text.strip() else "(empty)"


def flatten(settings: dict, prefix: str = "") -> list[tuple[str, object]]:
    """Nested settings as (dotted.key, value) pairs: one row each."""
    rows = []
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            rows += flatten(value, f"{name}.")
        else:
            rows.append((name, value))
    return rows


def settings_table(parameters: dict) -> pd.DataFrame:
    """One setting per row; with cluster.params auto, the UMAP and HDBSCAN settings the map used are the sweep's
    pick, shown beside what the config says."""
    picked = used_setting(parameters)
    rows = [{"Step": step, "Setting": name, "Value": picked.get((step, name), readable(value))}
            for step, settings in parameters.items() if step != SWEEP_CHOICE
            for name, value in flatten(settings if isinstance(settings, dict) else {"value": settings})]
    return pd.DataFrame(rows, columns=["Step", "Setting", "Value"])


def used_setting(parameters: dict) -> dict[tuple[str, str], str]:
    """(step, setting) -> the value shown for the reduce and cluster settings the sweep's pick replaced."""
    choice = parameters.get(SWEEP_CHOICE)
    if not choice or parameters.get("cluster", {}).get("params") != "auto":
        return {}
    shown = {}
    for step in ("reduce", "cluster"):
        for name, value in choice.get(step, {}).items():
            if name in parameters.get(step, {}):
                configured = readable(parameters[step][name])
                shown[(step, name)] = f"{readable(value)} (the sweep's pick; the config says {configured})"
    return shown


def sweep_choice_sentence(recommended: dict) -> str:
    umap = recommended["reduce"]
    cluster = recommended["cluster"]
    return (f"The sweep chose UMAP n_neighbors {umap['n_neighbors']}, min_dist {readable(umap['min_dist'])}, "
            f"n_components {umap['n_components']} (seed {umap['seed']}) and HDBSCAN "
            + ", ".join(f"{name} {value}" for name, value in cluster.items())
            + f" for the map: {recommended['reason']}")


def field_table(record: dict, names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"Setting": names.get(key, key.replace("_", " ")), "Value": readable(value)}
                         for key, value in record.items()], columns=["Setting", "Value"])


def llm_usage_table(llm: dict) -> pd.DataFrame:
    """One measure per row, one LLM call per column (a call without that measure shows a dash)."""
    per_call = {call: dict(flatten(stats)) for call, stats in llm.items()}
    measures = list(dict.fromkeys(name for values in per_call.values() for name in values))
    rows = [{"Measure": name.replace("_", " "),
             **{call: readable(values[name]) if name in values else "–" for call, values in per_call.items()}}
            for name in measures]
    return pd.DataFrame(rows, columns=["Measure", *per_call])


def runtimes_table(runtimes: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(runtimes)
    return table.astype(object).apply(lambda column: column.map(readable)) if len(table) else table


def placement_sentence(placement: dict) -> str:
    """How many of the titles placed onto an earlier map fit it weakly, and the way out; empty when none was placed.

    `placement`: jobtopics.place.weak_placements' counts with update.neighbors and
    update.weak_placement_similarity.
    """
    new, weak = placement["new_titles"], placement["weak_titles"]
    if not new:
        return ""
    threshold = readable(placement["weak_placement_similarity"])
    similarity = f"mean similarity to the {placement['neighbors']} nearest fitted titles"
    setting = "update.weak_placement_similarity"
    refit = "refit with update.refit_share: 0 so that {}."
    if new == 1:
        people = placement["new_people"]
        held = f"held by {people} {'person' if people == 1 else 'people'}"
        if weak:
            return (f"The one new title, {held}, fits the map weakly ({similarity} below {threshold}, {setting}): "
                    + refit.format("the map is fitted with it"))
        return f"The one new title, {held}, fits the map well: its {similarity} is at least {threshold} ({setting})."
    if not weak:
        return (f"None of the {new} new titles fits the map weakly: each has a {similarity} of at least {threshold} "
                f"({setting}).")
    if weak == new:
        which = f"{'Both' if new == 2 else f'All {new}'} new titles, held by {placement['new_people']} people,"
    else:
        which = (f"{weak} of the {new} new titles, held by {placement['weak_people']} of their "
                 f"{placement['new_people']} people,")
    return (f"{which} {'fits' if weak == 1 else 'fit'} the map weakly ({similarity} below {threshold}, {setting}): "
            + refit.format("the map is fitted with it" if weak == 1 else "they can form topics of their own"))


def methods_section(provenance: dict) -> str:
    """Escaped HTML tables, each narrow enough for the page (long cells wrap)."""
    blocks = []
    if provenance.get("fit"):
        caption = ("Fitted map: fitted by this run on its titles" if provenance["fit"]["refit"] else
                   "Fitted map: an earlier run's map, new titles placed onto it (update.* in the config)")
        fields = REFIT_FIELDS if provenance["fit"]["refit"] else FIT_FIELDS
        blocks.append(html_table(field_table(provenance["fit"], fields), caption))
        placement = placement_sentence(provenance["placement"]) if provenance.get("placement") else ""
        if placement:
            blocks.append(f'<p id="placement">{html.escape(placement)}</p>')
    choice = provenance["parameters"].get(SWEEP_CHOICE)
    if choice:
        blocks.append(f'<p id="sweep-choice">{html.escape(sweep_choice_sentence(choice))}</p>')
    blocks.append(html_table(settings_table(provenance["parameters"]), "Settings of each step (one per row)"))
    usage = llm_usage_table(provenance["llm"])
    if len(usage):
        blocks.append(html_table(usage, "LLM usage (tokens as reported by the endpoint)"))
    if provenance.get("runtimes"):
        blocks.append(html_table(runtimes_table(provenance["runtimes"]),
                                 "Runtime of each step (Snakemake benchmark files; Snakemake samples memory at "
                                 "start and then every half second at first, so a step that ends within half a "
                                 "second shows none)"))
    versions = pd.DataFrame(sorted(provenance["versions"].items()), columns=["Package", "Version"])
    blocks.append(html_table(versions, "Package versions"))
    blocks.append(html_table(field_table(provenance["input"], INPUT_FIELDS), "Input"))
    blocks.append(f"<p>Everything above, machine-readable: <code>{PROVENANCE_FILE}</code> in the post folder.</p>")
    return "\n".join(blocks)


# How the label step's audit writes the representative titles it named from (jobtopics.naming).
TITLES_EVIDENCE = "titles: "
NAMING_AUDIT_COLUMNS = {"category": "Category", "name_source": "Name source", "evidence": "Evidence",
                        "runner_up": "Runner-up name"}


def naming_audit_section(path: Path, held_titles: set[str] | None = None) -> str:
    """How each category got its name (label step's audit table), when the label step wrote one.

    Expects columns category, name_source, evidence and optionally runner_up; other columns are left out. With
    held_titles (the titles someone in this export holds, as cleaned), the evidence's title list leaves out the
    titles of contacts who left since the map was fitted, as the category examples do.
    """
    if not path.is_file():
        return ""
    audit = pd.read_parquet(path)
    if "level" in audit:  # the category level; topic names are on the map
        audit = audit[audit["level"] == "category"]
    if audit.empty:
        return ""
    if held_titles is not None and "evidence_titles" in audit:
        held_roles = {title_key(strip_level(title)) for title in held_titles}
        audit = audit.assign(evidence=[_held_titles_only(text, list(quoted), held_roles)
                                       for text, quoted in zip(audit["evidence"], audit["evidence_titles"])])
    columns = [column for column in NAMING_AUDIT_COLUMNS if column in audit.columns]
    table = audit[columns].astype(object).apply(lambda column: column.map(readable)).rename(columns=NAMING_AUDIT_COLUMNS)
    return ('<h3 id="naming-audit">How each category was named</h3>'
            + html_table(table, "Name source, the evidence it rests on and the runner-up name"))


def _held_titles_only(evidence: str, quoted: list[str], held_roles: set[str]) -> str:
    """The audit's evidence with its "titles: a, b, c" part (the titles `quoted`) left without titles nobody
    holds any more; the rest as it is. The evidence quotes roles without their rank ("Data Engineer" for "Senior
    Data Engineer", jobtopics.naming.representative_titles), so held_roles are the held titles' keys without
    rank."""
    quoted_part = TITLES_EVIDENCE + ", ".join(quoted)
    if not evidence.startswith(quoted_part):
        return evidence
    kept = [title for title in quoted if title_key(strip_level(title)) in held_roles]
    rest = evidence[len(quoted_part):]
    return (TITLES_EVIDENCE + ", ".join(kept) + rest) if kept else rest.removeprefix("; ")
