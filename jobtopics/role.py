"""A title's role: what is embedded for it, so that a team, an employer or side roles do not decide its place.

"🚀 Data Scientist (Payments) | Speaker | Volunteer at Acme" -> "Data Scientist". LinkedIn headlines add side
roles after " | ", " / ", " · " or " • " (the first role is the job), the employer after " at " or " @ ",
the team in brackets, after a dash or after a comma, and emoji. Rank words stay ("Senior", "II"): stripped
too, they made many titles one text, and on the bundled example those clumps pulled the sweep towards many
small topics and worse names. The title shown everywhere stays as written. `strip_level` drops the rank and a
region as well, where roles are compared without them: naming, and the label step's check for topics held
together by rank.
"""

from __future__ import annotations

import re
import unicodedata

_SIDE_ROLES = re.compile(r"\s+[|/·•]\s+")
_EMPLOYER = re.compile(r"\s+(?:at|@)\s+\S.*$", re.IGNORECASE)
# "Engineer (Payments)", "Engineer - EMEA", "Engineer – Growth": a team or region, not the role.
TEAM_SUFFIX = re.compile(r"\s*(?:\([^()]*\)|\s[-–—]\s.*)$")


# Emoji and other pictographs (with their joiners, variation selectors and keycaps): decoration, not the role.
_DECORATION = {"\u200d", "\ufe0f", "\ufe0e", "\u20e3"}
# Bare words that need what follows a comma to say what the job is: "Vice President, Engineering", "Manager, Risk".
_NEEDS_FIELD = {
    "manager", "director", "vice president", "vp", "svp", "evp", "avp", "head", "chief", "lead", "leader", "engineer",
    "analyst", "consultant", "specialist", "officer", "executive", "president", "partner", "associate", "assistant",
    "advisor", "adviser", "coordinator", "supervisor", "administrator", "technician", "developer", "scientist",
    "designer", "researcher", "architect", "owner", "principal", "professor", "lecturer", "teacher", "worker",
    "member", "representative", "agent", "expert", "strategist", "planner", "inspector", "operator", "clerk",
}
# The last word (or the one before "of") of a part that reads as a job on its own ("Biologist", "Product Manager",
# "Head of Data", "CEO").
_PERSON_NOUN = re.compile(r"(?:er|or|ist|yst|ian|ant|ent|eer|ee|ive|ate|ar|ead|ief|urse|ef|wright|smith|man|woman|"
                          r"person|clerk|aide|official|boss|cook|guard|pilot|judge|coach|secretary|actuary|notary)$"
                          r"|^[A-Z]{2,4}$")


def _without_decoration(text: str) -> str:
    kept = "".join(" " if unicodedata.category(c) in ("So", "Sk", "Cs", "Co") or c in _DECORATION else c
                   for c in text)
    return " ".join(kept.split())


def _without_comma_team(role: str) -> str:
    """ "Biologist, Marketplace" -> "Biologist": one comma after a part that reads as a job on its own sets off a
    team or employer. Kept: a bare word that needs the rest ("Vice President, Data Science"), a part that is no job
    ("Sales, Marketing and Operations Manager"), and lists with more commas (O*NET's "Cutting, Punching, and Press
    Machine Setters, ...")."""
    head, comma, rest = role.partition(",")
    if not comma or "," in rest or not rest.strip() or rest.split()[0].casefold() in ("and", "or", "&"):
        return role
    bare = strip_level(head)
    words = bare.split()
    if not words or bare.casefold().rstrip("s") in _NEEDS_FIELD or bare.casefold() in _NEEDS_FIELD:
        return role
    # "Director of External Relations, Marketplace": the job is the word before "of".
    of = [i for i, word in enumerate(words) if word.casefold() == "of"]
    last = words[of[0] - 1] if of and of[0] > 0 else words[-1]
    last = last[:-1] if len(last) > 3 and last.endswith("s") and not last.isupper() else last
    return head.strip() if _PERSON_NOUN.search(last if last.isupper() else last.casefold()) else role


def core_role(title: str) -> str:
    """The first role of a title without decoration, employer and team; the title itself when nothing is left."""
    first = _SIDE_ROLES.split(_without_decoration(str(title)), maxsplit=1)[0]
    role = _without_comma_team(TEAM_SUFFIX.sub("", _EMPLOYER.sub("", first).strip()).strip())
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


# Role nouns that read the same before their field: "Manager, Talent Acquisition" is a Talent Acquisition Manager.
# "Vice President, Engineering" and "Head, Research" do not turn round.
_INVERTIBLE = {"manager", "director", "specialist", "analyst", "consultant", "engineer", "coordinator", "officer",
               "advisor", "adviser", "administrator", "architect", "scientist", "partner"}


def natural_order(role: str) -> str:
    """ "Manager, Talent Acquisition" -> "Talent Acquisition Manager": the order a name is written in. A role
    without one bare noun before its comma stays as it is."""
    head, comma, field = role.partition(",")
    field = field.strip()
    if not comma or "," in field or not field or head.strip().casefold() not in _INVERTIBLE or len(field.split()) > 4:
        return role
    return f"{field[:1].upper()}{field[1:]} {head.strip()}"
