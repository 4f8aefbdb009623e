"""Untrusted text (job titles, category names) as plotly draws it."""

from __future__ import annotations

import html


def plot_text(text: object) -> str:
    """`<`, `>` and `&` escaped, so a title is never markup; quotes kept as written: plotly.js decodes only a few
    entities, so `&quot;` would be drawn as those six characters."""
    return html.escape(str(text), quote=False)
