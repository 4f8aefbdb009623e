"""A title's role: what is embedded for it, so that a team, an employer or side roles do not decide its place.

"Data Scientist (Payments) | Speaker | Volunteer at Acme" -> "Data Scientist". LinkedIn headlines add side
roles after " | ", " / ", " · " or " • " (the first role is the job), the employer after " at " or " @ ",
and the team in brackets or after a dash. Rank words stay ("Senior", "II"): stripped too, they made many
titles one text, and on the bundled example those clumps pulled the sweep towards many small topics and
worse names. The title shown everywhere stays as written.
"""

from __future__ import annotations

import re

_SIDE_ROLES = re.compile(r"\s+[|/·•]\s+")
_EMPLOYER = re.compile(r"\s+(?:at|@)\s+\S.*$", re.IGNORECASE)
# "Engineer (Payments)", "Engineer - EMEA", "Engineer – Growth": a team or region, not the role.
TEAM_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|\s[-–—]\s.*)$")


def core_role(title: str) -> str:
    """The first role of a title without employer and team; the title itself when nothing is left."""
    first = _SIDE_ROLES.split(str(title).strip(), maxsplit=1)[0]
    role = TEAM_SUFFIX.sub("", _EMPLOYER.sub("", first).strip()).strip()
    return role or str(title).strip()
