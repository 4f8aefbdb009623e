"""Assemble the report: figures, tables, facts and provenance into the template."""

from __future__ import annotations

import html
import json
from importlib import metadata
from pathlib import Path

import pandas as pd

from .figures import category_sizes, network_map
from .render import fill_template, html_table, narrative, raw_html, report_facts

PROVENANCE_PACKAGES = ["snakemake", "pandas", "numpy", "sentence-transformers", "torch", "umap-learn", "hdbscan",
                       "bertopic", "scikit-learn", "plotly", "openai", "llama-cpp-python"]


def package_versions() -> dict[str, str]:
    versions = {}
    for name in PROVENANCE_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def map_fragment(assignments: pd.DataFrame, include_plotlyjs: bool = True) -> str:
    return network_map(assignments).to_html(full_html=False, include_plotlyjs=include_plotlyjs, div_id="network-map",
                                            config={"responsive": True, "displaylogo": False})


def write_map_page(assignments: pd.DataFrame, path: Path, title: str) -> None:
    """The map alone, self-contained (plotly.js inlined), for people who only want the chart."""
    network_map(assignments, title=title).write_html(path, include_plotlyjs=True, full_html=True, div_id="network-map",
                                                     config={"displaylogo": False})


def headline(facts) -> str:
    items = [
        ("contacts", f"{facts.contacts:,}"),
        ("with a job title", f"{facts.with_title:,}"),
        ("unique titles", f"{facts.unique_titles:,}"),
        ("categories", f"{facts.categories:,}"),
        ("Uncategorized", f"{facts.uncategorized_share:.0%}"),
    ]
    cells = "".join(f'<div class="headline-item"><strong>{html.escape(value)}</strong><br>{html.escape(label)}</div>'
                    for label, value in items)
    style = ("<style>.headline{display:flex;flex-wrap:wrap;gap:1.5em;margin:1em 0}"
             ".headline-item{font-size:0.95em}.headline-item strong{font-size:1.6em}</style>")
    return raw_html(f'{style}<div class="headline" id="headline">{cells}</div>')


def category_table(categories: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Category": categories["category"],
        "People": categories["n_people"],
        "Titles": categories["n_titles"],
        "Top terms": [list(t)[:6] for t in categories["terms"]],
        "Example titles": [list(e)[:5] for e in categories["examples"]],
    })


def methods_section(provenance: dict) -> str:
    """Parameters, models, LLM usage, versions, runtimes and the input checksum, as escaped tables."""
    blocks = []
    steps = pd.DataFrame([{"Step": step, "Settings": json.dumps(settings, sort_keys=True, ensure_ascii=False)}
                          for step, settings in provenance["parameters"].items()])
    blocks.append(html_table(steps, "Parameters of each step"))
    llm_rows = [{"Call": name, **{k: v for k, v in stats.items()}} for name, stats in provenance["llm"].items()]
    if llm_rows:
        blocks.append(html_table(pd.DataFrame(llm_rows), "LLM usage (tokens as reported by the endpoint)"))
    if provenance.get("runtimes"):
        blocks.append(html_table(pd.DataFrame(provenance["runtimes"]), "Runtime of each step (Snakemake benchmark files)"))
    versions = pd.DataFrame(sorted(provenance["versions"].items()), columns=["Package", "Version"])
    blocks.append(html_table(versions, "Package versions"))
    input_info = pd.DataFrame([provenance["input"]])
    blocks.append(html_table(input_info, "Input"))
    return raw_html("\n".join(blocks))


def build_source(assignments: pd.DataFrame, categories: pd.DataFrame, n_unique_titles: int, provenance: dict,
                 template: Path, title: str, description: str, date: str, sensitivity: str = "") -> str:
    facts = report_facts(assignments, n_unique_titles)
    values = {
        "title": json.dumps(title, ensure_ascii=False),
        "description": json.dumps(description, ensure_ascii=False),
        "date": json.dumps(date),
        "headline": headline(facts),
        "narrative": raw_html(f'<p id="narrative">{html.escape(narrative(facts))}</p>'),
        "map": raw_html(map_fragment(assignments, include_plotlyjs=True)),
        "sizes": raw_html(category_sizes(assignments).to_html(full_html=False, include_plotlyjs=False,
                                                              config={"displaylogo": False})),
        "category_table": raw_html(html_table(category_table(categories))),
        "sensitivity": sensitivity,
        "methods": methods_section(provenance),
    }
    return fill_template(template, values)
