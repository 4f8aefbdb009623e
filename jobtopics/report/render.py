"""Build the report's Quarto source from pipeline outputs and render it to one offline HTML file.

Every dynamic value is HTML-escaped and placed in raw HTML blocks, so a job title
such as `<script>…` or `*bold*` is shown as text by Quarto and pandoc alike.
The `.qmd` is the source of truth: `quarto render` when Quarto is installed,
otherwise pandoc (shipped by `pypandoc-binary`) renders the same file.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path
from string import Template

import pandas as pd

from ..errors import InputError



def html_table(frame: pd.DataFrame, caption: str = "") -> str:
    """An escaped HTML table: cells are text, never markup."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in frame.itertuples(index=False)
    )
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f'<table class="table">{caption_html}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _cell(value: object) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def raw_html(fragment: str) -> str:
    """A Quarto/pandoc raw HTML block (passed through untouched by both renderers)."""
    fence = "`" * 3
    while fence in fragment:
        fence += "`"
    return f"{fence}{{=html}}\n{fragment}\n{fence}"


def fill_template(template_path: str | Path, values: dict[str, str]) -> str:
    try:
        return Template(Path(template_path).read_text(encoding="utf-8")).substitute(values)
    except KeyError as missing:
        raise InputError(f"{template_path}: template placeholder {missing} has no value") from None


def render_html(source: Path, output: Path) -> str:
    """Render the .qmd to one self-contained HTML file; return which renderer was used."""
    quarto = shutil.which("quarto")
    with tempfile.TemporaryDirectory() as scratch:
        # The whole post folder travels, so figures next to the source resolve the same way.
        shutil.copytree(source.parent, Path(scratch) / "post")
        scratch = str(Path(scratch) / "post")
        work = Path(scratch) / source.name
        if quarto:
            subprocess.run([quarto, "render", str(work), "--to", "html", "-M", "embed-resources:true"],
                           check=True, capture_output=True, text=True)
            produced = work.with_suffix(".html")
            renderer = "quarto"
        else:
            import pypandoc

            produced = work.with_suffix(".html")
            subprocess.run(
                [pypandoc.get_pandoc_path(), str(work), "--from", "markdown", "--to", "html5", "--standalone",
                 "--embed-resources", "--output", str(produced)],
                check=True, capture_output=True, text=True, cwd=scratch,
            )
            renderer = "pandoc"
        output.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(produced, output)
    return renderer
