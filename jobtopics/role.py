"""A title's role: what is embedded for it, so that a team, an employer or side roles do not decide its place.

"Data Scientist (Payments) | Speaker | Volunteer at Acme" -> "Data Scientist". LinkedIn headlines add side
roles after " | ", " / ", " · " or " • " (the first role is the job), the employer after " at " or " @ ",
and the team in brackets or after a dash. Rank words stay ("Senior", "II"): stripped too, they made many
titles one text, and on the bundled example those clumps pulled the sweep towards many small topics and
worse names. The title shown everywhere stays as written. `strip_level` drops the rank and a region as well,
where roles are compared without them: naming, and the label step's check for topics held together by rank.
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


# Words that rank a job rather than say what it is. Stripped only at the start (and "II"/"III" at the end):
# "Team Lead", "Head of Data" and "Intern" say what someone does and stay.
LEVEL_PREFIX = re.compile(
    r"^(?:(?:senior|sr|jr|junior|lead|principal|staff|associate|mid[- ]level|entry[- ]level|sênior|júnior|"
    r"pleno|starszy|starsza|młodszy|młodsza)\.?\s+)+", re.IGNORECASE)
_LEVEL_SUFFIX = re.compile(r"(?:\s+(?:i{1,3}|iv|[1-3])|,?\s+\(?(?:senior|junior|sr\.?|jr\.?)\)?)$", re.IGNORECASE)
# "Team Lead, EMEA", "Account Executive Nordics": where, not what ("Head of EMEA" keeps it: there it is the what).
_REGION_SUFFIX = re.compile(r"(?:,\s*|(?<!\bof)(?<!\bin)(?<!\bfor)(?<!\bat)(?<!\band)\s+)(?:EMEA|APAC|DACH|LATAM|LatAm|CEE|MEA|ANZ|"
                            r"EU|US|UK|Nordics|Americas|Europe|North America|Global|Worldwide)$")
_KEEP_PREFIXED = {"principal investigator", "associate dean", "staff nurse"}


def strip_level(title: str) -> str:
    """The role without its rank or team: "Senior Data Scientist (Payments)" -> "Data Scientist"."""
    text = " ".join(str(title).split())
    for _ in range(3):
        before = text
        text = TEAM_SUFFIX.sub("", text).strip()
        without_region = _REGION_SUFFIX.sub("", text).strip()
        text = without_region if " " in without_region or "," in text else text  # "VP Americas" stays
        text = _LEVEL_SUFFIX.sub("", text).strip()
        if text.casefold() not in _KEEP_PREFIXED:
            stripped = LEVEL_PREFIX.sub("", text).strip()
            text = stripped or text  # "Senior" alone stays "Senior" rather than vanish
        if text == before:
            break
    return text or str(title).strip()
