"""Normalise and deduplicate job titles; map unique titles back to people.

Every later per-title step works on the unique titles only, in a stable
(sorted) order, so results do not depend on the order of rows in the export.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

# Very long "titles" are usually pasted bios; the head carries the role.
MAX_TITLE_CHARS = 120
# Separators people use to list several roles: the first one is the job.
_MULTI_ROLE = re.compile(r"\s*(?:\||•|·|¦|‖)\s*")
# "Data Engineer at Acme" / "Data Engineer @ Acme": the company is not part of the role.
_AT_COMPANY = re.compile(r"\s+(?:at|@)\s+\S.*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Stripped from both ends of a title. Not "+" ("Developer C++"); a "." only when not glued to a word (".NET").
_EDGE_PUNCTUATION = "-–—_,;:.!?*~=/\\ "
# Brackets and quotes are stripped only when unpaired or wrapping the whole title: "Engineer (Contract)" keeps them.
_PAIRS = {"(": ")", "[": "]", "{": "}", '"': '"', "'": "'", "`": "`"}
_OPENERS = {close: open_ for open_, close in _PAIRS.items()}


def _drop_symbols(text: str) -> str:
    # Emoji, pictographs, dingbats and control/format characters are noise in a title;
    # letters of every script, digits and ordinary punctuation stay.
    return "".join(
        " " if unicodedata.category(ch) in {"So", "Sk", "Cs", "Co", "Cn", "Cc", "Cf"} or "\ufe00" <= ch <= "\ufe0f"
        else ch
        for ch in text
    )


def _strip_edges(text: str) -> str:
    """Strip punctuation and spaces from both ends; brackets and quotes only when unpaired or wrapping it all."""
    while True:
        head = text.lstrip(_EDGE_PUNCTUATION)
        cut = text[: len(text) - len(head)]
        if head[:1].isalnum() and cut.endswith(".") and not cut.endswith(".."):
            head = "." + head  # ".NET Developer"
        stripped = head.rstrip(_EDGE_PUNCTUATION)
        first, last, inner = stripped[:1], stripped[-1:], stripped[1:-1]
        if len(stripped) >= 2 and _PAIRS.get(first) == last and first not in inner and last not in inner:
            stripped = inner  # "(Data Scientist)", '"Data Scientist"'
        elif (first in _PAIRS and _PAIRS[first] not in stripped[1:]) or (first in _OPENERS and first not in _PAIRS):
            stripped = stripped[1:]  # an opening bracket or quote never closed, or a closing bracket
        elif (last in _OPENERS and _OPENERS[last] not in stripped[:-1]) or (last in _PAIRS and last not in _OPENERS):
            stripped = stripped[:-1]  # a closing bracket or quote never opened, or an opening bracket
        if stripped == text:
            return text
        text = stripped


def clean_title(raw: object) -> str:
    """A readable cleaned title ('' when nothing usable is left)."""
    if raw is None or (isinstance(raw, float) and pd.isna(raw)) or raw is pd.NA:
        return ""
    text = unicodedata.normalize("NFKC", str(raw))
    text = _drop_symbols(text)
    text = _MULTI_ROLE.split(text.strip(" |•·"), maxsplit=1)[0]
    text = _AT_COMPANY.sub("", text)
    text = _strip_edges(_SPACES.sub(" ", text))
    if len(text) > MAX_TITLE_CHARS:
        text = _strip_edges(text[:MAX_TITLE_CHARS].rsplit(" ", 1)[0]) or text[:MAX_TITLE_CHARS]
    # A title needs at least one letter or digit ("---" or "🚀" alone is not a title).
    return text if any(ch.isalnum() for ch in text) else ""


def title_key(clean: str) -> str:
    """The deduplication key: case- and accent-insensitive, spacing-insensitive."""
    folded = unicodedata.normalize("NFKD", clean.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _SPACES.sub(" ", folded).strip()


def build_titles(people: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (titles, person_titles).

    titles: title_key, title (most common cleaned spelling), n_people — sorted by title_key.
    person_titles: id, title_key (empty string for people without a usable title).
    """
    cleaned = people["position"].map(clean_title)
    keys = cleaned.map(title_key)
    person_titles = pd.DataFrame({"id": people["id"].to_numpy(), "title_key": keys.to_numpy()})
    with_title = pd.DataFrame({"title_key": keys, "title": cleaned})[keys != ""]
    if with_title.empty:
        titles = pd.DataFrame({"title_key": pd.Series(dtype="string"), "title": pd.Series(dtype="string"),
                               "n_people": pd.Series(dtype="int64")})
        return titles, person_titles
    spelling = with_title.groupby(["title_key", "title"]).size().rename("count").reset_index()
    # Most common spelling wins; on ties mixed case beats ALL CAPS / all lower, then alphabetical: stable.
    spelling["shouting"] = spelling["title"].map(lambda t: t.isupper() or t.islower())
    spelling = (
        spelling.sort_values(["title_key", "count", "shouting", "title"], ascending=[True, False, True, True])
        .drop_duplicates("title_key")
        .drop(columns="shouting")
    )
    sizes = with_title.groupby("title_key").size().rename("n_people")
    titles = spelling.drop(columns="count").merge(sizes, on="title_key").sort_values("title_key")
    return titles.reset_index(drop=True), person_titles
