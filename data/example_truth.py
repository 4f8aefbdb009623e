"""The bundled example's truth: which generator group each title came from, and which names fit a group.

make_example.py decorates its base titles (seniority, a team, "|" side roles, emoji, case quirks) and writes
some in the contact's own language. `title_group` undoes the decoration with the workflow's own cleaning
(jobtopics.titles) and looks the base title up in TITLE_GROUPS, or in tests/data/local_title_groups.csv
for local-language titles. `name_fits_group` reads tests/data/example_group_names.csv.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_example import SENIORITY, SIDE_ROLES, TEAMS, TITLE_GROUPS  # noqa: E402

from jobtopics.naming import name_key  # noqa: E402
from jobtopics.titles import clean_title, title_key  # noqa: E402

LOCAL_TITLE_GROUPS = ROOT / "tests" / "data" / "local_title_groups.csv"
EXAMPLE_GROUP_NAMES = ROOT / "tests" / "data" / "example_group_names.csv"

_TEAM = "|".join(re.escape(team) for team in sorted(TEAMS, key=len, reverse=True))
# decorate(): "X, Team", "X - Team", "X (Team)", "X – Team", "X II", "X III".
_TEAM_SUFFIX = re.compile(rf"(?:\s*,\s*|\s+-\s+|\s+–\s+|\s*\(\s*)(?:{_TEAM})\)?$|\s+I{{2,3}}$", re.IGNORECASE)
_LEVEL = re.compile(r"^(?:" + "|".join(re.escape(level) for level in SENIORITY) + r")\s+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """title_key of every base title (both gendered forms of local ones) -> generator group."""
    groups = {title_key(title): group for group, (_, _, titles) in TITLE_GROUPS.items() for title in titles}
    local = pd.read_csv(LOCAL_TITLE_GROUPS, dtype=str)
    for entry, group in zip(local["local_title"], local["group"]):
        for form in entry.split(" / "):
            groups.setdefault(title_key(form.strip()), group)
    return groups


def _variants(title: str) -> list[str]:
    """The cleaned title, then with side roles after " / " cut, then with team and level removed."""
    forms = [title]
    head = title.split(" / ")[0]
    if head != title and any(role.casefold() in title.casefold() for role in SIDE_ROLES):
        forms.append(head)
    for form in list(forms):
        bare = _TEAM_SUFFIX.sub("", form).strip()
        bare = _LEVEL.sub("", bare).strip()
        forms.append(bare)
        forms.append(_LEVEL.sub("", form).strip())
    return forms


def title_group(position: object) -> str | None:
    """The generator group a (decorated) position came from; None for empty or unknown titles."""
    cleaned = clean_title(position)
    if not cleaned:
        return None
    lookup = _lookup()
    for form in _variants(cleaned):
        group = lookup.get(title_key(form))
        if group:
            return group
    return None


@lru_cache(maxsize=1)
def acceptable_names() -> dict[str, list[str]]:
    table = pd.read_csv(EXAMPLE_GROUP_NAMES, dtype=str)
    return {group: [n.strip() for n in names.split(";") if n.strip()] for group, names in zip(table["group"], table["names"])}


def name_fits_group(name: str, group: str) -> bool:
    """Same name up to case, plurals and small words; or containing a listed name of two or more words
    ("Software Engineering and DevOps" fits; "Software Sales" does not fit software)."""
    key = set(name_key(name).split())
    for accepted in acceptable_names().get(group, []):
        wanted = set(name_key(accepted).split())
        if wanted and (wanted == key or (len(wanted) >= 2 and wanted <= key)):
            return True
    return False


def category_fit(positions: pd.Series, categories: pd.Series, skip: set[str] = frozenset()) -> pd.DataFrame:
    """Per category: its members' majority generator group, that group's share, and whether the name fits it.

    positions/categories: one row per person (e.g. results/assignments.csv joined with the export).
    skip: categories not judged (e.g. "Uncategorized", "No job title").
    """
    frame = pd.DataFrame({"group": positions.map(title_group).to_numpy(), "category": categories.to_numpy()})
    frame = frame[frame["group"].notna() & ~frame["category"].isin(skip)]
    rows = []
    for category, part in frame.groupby("category", sort=True):
        counts = part["group"].value_counts()
        majority = counts.index[0]
        rows.append({"category": category, "majority_group": majority, "share": counts.iloc[0] / len(part),
                     "n_people": len(part), "fits": name_fits_group(str(category), majority)})
    return pd.DataFrame(rows, columns=["category", "majority_group", "share", "n_people", "fits"])
