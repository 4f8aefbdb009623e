"""Names a reader can trust: candidates from the evidence, chosen contrastively, distinct among siblings.

Every group (a broad category, or a fine topic inside one) gets candidate names from what its members
say: their most representative titles with the level words stripped, the top c-TF-IDF terms, the nearest
O*NET occupations and their SOC major group, generalisations built from shared head nouns ("Backend
Engineer", "Frontend Engineer" -> "Software Engineering"), and optionally a name an LLM proposed from the
same evidence. A candidate is embedded like a title and judged *against the siblings* (and any rivals,
e.g. the other categories when naming topics): it is accepted when it sits nearer its own centroid than
any sibling's, leaving out the members it merely copies; accepted names are ranked by that margin and by
how many of their nearest titles are the group's own. Words only a few members use never name a group,
and one member's title never names a broad group. Siblings are named together so that no two share (or
nearly share) a name; a name wanted twice goes to the group it fits better and the other takes its
runner-up.

Pure functions over titles, vectors and tables: no Snakemake, no files. The embedding model is the
caller's (`embed(texts) -> L2-normalised array`), so a multilingual model works as well as MiniLM.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .language import is_english
from .names import is_reserved
from .role import LEVEL_PREFIX, natural_order, strip_level
from .terms import without_possessive

Embed = Callable[[list[str]], np.ndarray]

# A group larger than this must be named for its field, never by one member's title.
BROAD_GROUP_TITLES = 30
MAX_NAME_WORDS = 4
# Titles this close to a name are spellings of it: they say nothing about what else the name means.
NEAR_COPY_COSINE = 0.95
NEIGHBORS = 20

SOURCES = ("llm", "representative title", "O*NET", "SOC group", "terms", "head noun")
# The first source wins when two sources propose the same name; an LLM proposal also gets a small bonus,
# as it is the one source that can rephrase (it is still checked against the siblings like any other).
LLM_BONUS = 0.02

# Short forms of the 23 SOC 2018 major-group names (occupations.SOC_MAJOR_GROUPS), at most four words each.
SOC_SHORT_NAMES = {
    "11": "Management", "13": "Business and Finance", "15": "Computing and Mathematics",
    "17": "Architecture and Engineering", "19": "Science", "21": "Social Services", "23": "Legal",
    "25": "Education", "27": "Arts, Design and Media", "29": "Healthcare", "31": "Healthcare Support",
    "33": "Protective Services", "35": "Food Preparation and Serving", "37": "Building and Grounds Maintenance",
    "39": "Personal Care and Service", "41": "Sales", "43": "Administrative Support",
    "45": "Farming, Fishing and Forestry", "47": "Construction and Extraction", "49": "Maintenance and Repair",
    "51": "Production", "53": "Transportation and Logistics", "55": "Military",
}


# Single words too vague to be a name on their own.
_VAGUE = {"professional", "professionals", "lead", "leads", "specialist", "specialists", "worker", "workers",
          "employee", "employees", "staff", "team", "member", "members", "other", "expert", "experts", "senior",
          "junior", "associate", "associates", "person", "people", "officer", "officers", "assistant",
          "assistants", "manager", "managers", "head", "heads", "director", "directors", "roles", "jobs", "group",
          "all", "general", "various", "related", "except", "chief", "chiefs"}
# Things people work on, not what they do: "Project" alone does not name project managers (as a modifier,
# in "Project Management", it does).
_OBJECTS = {"project", "projects", "program", "programs", "programme", "programmes", "account", "accounts"}
_SMALL_WORDS = {"and", "of", "for", "the", "in", "to", "a", "an", "or", "on", "at", "with", "&"}

# Role nouns whose field has its own word: many "... Engineer" titles make "... Engineering".
HEAD_FIELDS = {
    "engineer": "Engineering", "developer": "Development", "designer": "Design", "scientist": "Science",
    "analyst": "Analysis", "manager": "Management", "consultant": "Consulting", "recruiter": "Recruiting",
    "teacher": "Teaching", "nurse": "Nursing", "accountant": "Accounting", "researcher": "Research",
    "architect": "Architecture", "marketer": "Marketing", "administrator": "Administration",
    "programmer": "Programming", "tester": "Testing", "auditor": "Auditing", "banker": "Banking",
    "therapist": "Therapy", "counselor": "Counseling", "counsellor": "Counselling", "planner": "Planning",
    "buyer": "Purchasing", "welder": "Welding", "driver": "Driving", "writer": "Writing", "editor": "Editing",
    "trainer": "Training", "inspector": "Inspection", "installer": "Installation", "repairer": "Repair",
    "mechanic": "Mechanics", "investor": "Investing", "lawyer": "Law", "attorney": "Law", "operator": "Operations",
    "coordinator": "Coordination", "educator": "Education", "lecturer": "Teaching", "professor": "Academia",
    "clerk": "Clerical Work", "cook": "Cooking", "chef": "Cooking", "pharmacist": "Pharmacy",
    "physician": "Medicine", "technician": "Technical Support", "salesperson": "Sales", "strategist": "Strategy",
    "recruitment": "Recruitment", "leader": "Leadership",
}
# Field words that are also heads of titles ("Talent Recruitment"): never made plural.
_FIELD_WORDS = {field.casefold() for field in HEAD_FIELDS.values()}
# Role nouns without a field word still make a plural class name ("Welders", "Founders").
ROLE_NOUNS = set(HEAD_FIELDS) | {
    "assistant", "officer", "specialist", "representative", "executive", "director", "founder", "owner",
    "student", "intern", "worker", "agent", "advisor", "adviser", "associate", "partner", "lead", "fitter",
    "maker", "operative", "labourer", "laborer", "supervisor", "controller", "surveyor", "photographer",
    "artist", "journalist", "doctor", "dentist", "psychologist", "physiotherapist", "paralegal", "solicitor",
    "trainee", "apprentice", "fellow", "entrepreneur", "freelancer", "steward", "secretary", "receptionist",
    "cashier", "carpenter", "electrician", "plumber", "farmer", "guard", "attendant", "handler", "tutor",
    "instructor", "investigator", "economist", "statistician", "actuary", "pilot", "sailor", "soldier",
    "tender", "setter", "assembler", "finisher", "helper", "aide", "scientist", "technologist",
}
# "Director of Engineering", "Head of Data", "VP of Sales": the role comes before "of", its field after;
# these roles lead the field ("Engineering Leadership"), whatever their rank ("Vice President").
_ROLE_OF_FIELD = re.compile(r"^(?P<role>.+?)\s+of\s+(?P<field>.+)$", re.IGNORECASE)
_LEADING_ROLES = {"director", "head", "vp", "svp", "evp", "avp", "president", "chief"}
# "CEO", "CTO", "Chief Data Officer": leaders, as a head or VP of a field is (not "Executives": account executives).
_C_SUITE = re.compile(r"C[A-Z]{1,3}O|(?i:chief(?:\s+\w+){1,3}\s+officer)")
# What many C-suite titles propose besides "Leaders": O*NET's name for them (11-1011), which team leads are not.
C_SUITE_NAME = "Chief Executives"
# Romance-language titles put the head first ("Analista de dados"): no English head noun to read.
_ROMANCE_LINK = re.compile(r"\s(?:de|di|do|da|des|du|del|della|ds\.)\s", re.IGNORECASE)
_WORD = re.compile(r"[\w][\w+#.&/-]*[\w+#]|\w", re.UNICODE)


# --- Text helpers ----------------------------------------------------------------------------------------

def _is_c_suite(role: str) -> bool:
    """Whether a role is a C-suite title as a whole ("CTO", "Chief Data Officer"; not "Founder & CEO")."""
    return bool(_C_SUITE.fullmatch(role.strip()))


def name_key(name: str) -> str:
    """Case-, plural- and small-word-insensitive key: "Software Engineers" and "software engineering" meet."""
    words = [w for w in re.findall(r"\w+", name.casefold()) if w not in _SMALL_WORDS]
    # Five-letter stems merge engineer/engineers/engineering and analyst/analysts/analysis; a final "s" goes
    # first, so that short words meet their plural too (chef/chefs, lead/leads).
    return " ".join(sorted({(w[:-1] if len(w) > 3 and w.endswith("s") else w)[:5] for w in words}))


def plural(noun: str) -> str:
    """English plural in the noun's own case ("Secretary" -> "Secretaries", "CLERK" -> "CLERKS")."""
    folded = noun.casefold()
    if folded.endswith("person"):
        result = noun[:-6] + "people"
    elif folded.endswith("y") and len(folded) > 2 and folded[-2] not in "aeiou":
        result = noun[:-1] + "ies"
    elif folded.endswith(("s", "x", "ch", "sh")):
        result = noun + "es"
    else:
        result = noun + "s"
    return result.upper() if noun.isupper() and len(noun) > 1 else result


def _casing(titles: Sequence[str]) -> dict[str, str]:
    """The members' own spelling of each word (UX, iOS, .NET), the most common one winning."""
    spellings: dict[str, Counter] = defaultdict(Counter)
    for title in titles:
        for word in title.split():
            spellings[word.casefold()][word] += 1
    casing = {}
    for folded, counts in spellings.items():
        # Prefer a mixed- or upper-case spelling over an all-lower one from a lower-case title.
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].islower(), kv[0]))
        casing[folded] = ranked[0][0]
    return casing


def display_case(text: str, casing: dict[str, str] | None = None) -> str:
    """Readable case: members' spelling where known, else title case; small words lower-case inside."""
    words = []
    for index, word in enumerate(text.split()):
        folded = word.casefold()
        known = (casing or {}).get(folded)
        if index and folded in _SMALL_WORDS:
            words.append(folded)
        elif known and not known.islower() and not (known.isupper() and len(known) > 4):
            words.append(known)
        else:
            words.append(word[:1].upper() + word[1:] if word.islower() or word.isupper() else word)
    return " ".join(words)


def is_usable_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or not any(ch.isalpha() for ch in name) or is_reserved(name):
        return False
    return not (len(words) == 1 and words[0].casefold().strip(".,") in _VAGUE | _OBJECTS)


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-12)


# --- Inputs ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """One group to name: its member titles (unique), people per title, their L2-normalised vectors, terms."""

    key: Hashable
    titles: list[str]
    vectors: np.ndarray
    weights: np.ndarray | None = None
    terms: list[str] = field(default_factory=list)

    @property
    def people(self) -> np.ndarray:
        return np.ones(len(self.titles)) if self.weights is None else np.asarray(self.weights, dtype=float)

    def centroid(self) -> np.ndarray:
        """People-weighted centroid: a title many hold pulls the name towards it."""
        return _normalise((self.people[:, None] * np.asarray(self.vectors, dtype=np.float64)).sum(axis=0))[0]


@dataclass(frozen=True)
class Occupations:
    """O*NET occupations embedded as "title: description" (occupations.occupation_texts), and the English
    word stems of their titles and descriptions (to tell an English name from a member's German title)."""

    titles: list[str]
    majors: list[str]
    vectors: np.ndarray
    vocabulary: frozenset[str] = frozenset()


def occupation_index(occupations: pd.DataFrame, vectors: np.ndarray) -> Occupations:
    """From occupations.load_occupations() and their vectors (occupations.occupation_vectors)."""
    from .occupations import occupation_texts

    texts = occupation_texts(occupations)
    vocabulary = {word for text in texts for word in re.findall(r"[a-z]+", text.casefold())}
    vocabulary |= ROLE_NOUNS | {field.casefold() for field in HEAD_FIELDS.values()}
    return Occupations(occupations["title"].tolist(), occupations["major"].tolist(), _normalise(vectors),
                       frozenset(vocabulary))


_ENGLISH_ENDINGS = ("s", "es", "ing", "er", "ers", "ment", "ion", "al")


def looks_english(name: str, vocabulary: frozenset[str]) -> bool:
    """Every longer word (or its stem) known from English occupation texts or read as English by the title
    detector (jobtopics.language); acronyms (UX, SAP) pass. O*NET's US vocabulary lacks the words of tech and
    British titles ("Backend", "DevOps", "Harbour", "Counsellor"): vetoed, they left groups to a rarer runner-up.
    Word by word: the detector averages a title's words, and "Ingénieur DevOps" would pass as a whole.

    Whole words, not prefixes: "Projektleiterin" must not pass for starting like "project". No vocabulary: yes.
    """
    if not vocabulary:
        return True
    for word in re.findall(r"\w+", name):
        folded = word.casefold()
        if len(word) < 4 or word.isupper() or folded in vocabulary:
            continue
        if not any(folded.endswith(end) and folded[: -len(end)] in vocabulary for end in _ENGLISH_ENDINGS) \
                and not is_english(word):
            return False
    return True


@dataclass(frozen=True)
class Candidate:
    name: str
    source: str


@dataclass
class Evidence:
    """What the names are built from, shown in the audit and sent to an LLM as data."""

    top_titles: list[str]
    top_terms: list[str]
    nearest_occupations: list[str]
    soc_group: str
    soc_share: float


# --- Candidates ------------------------------------------------------------------------------------------

def representative_titles(group: Group, n: int = 5) -> list[str]:
    """Level-stripped titles that are both frequent and central: people holding them x mean closeness."""
    centroid = group.centroid()
    closeness = _normalise(group.vectors) @ centroid
    people: dict[str, float] = defaultdict(float)
    close: dict[str, list[float]] = defaultdict(list)
    spelling: dict[str, Counter] = defaultdict(Counter)
    for title, weight, cos in zip(group.titles, group.people, closeness):
        role = natural_order(strip_level(title))
        key = role.casefold()
        people[key] += weight
        close[key].append(max(float(cos), 0.0))
        spelling[key][role] += weight
    ranked = sorted(people, key=lambda k: (-people[k] * float(np.mean(close[k])), k))
    casing = _casing(group.titles)
    return [display_case(spelling[k].most_common(1)[0][0], casing) for k in ranked[:n]]


def reads_as_written(phrase: str, titles: Sequence[str]) -> bool:
    """Whether some title holds the phrase's words in a row: c-TF-IDF bigrams can cross a comma
    ("Vice President, Engineering" gives "president engineering"), which no member would write."""
    words = phrase.split()
    pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)
    return len(words) < 2 or any(pattern.search(title) for title in titles)


def is_fragment(phrase: str, titles: Sequence[str]) -> bool:
    """Whether every member writing the phrase writes it inside the same longer phrase: the same word before it
    (or none) and the same word after it (or none), not none on both sides. "Open" and "Work" in "Open to Work",
    "Stack" in "Full Stack Developer" are pieces of a member's phrase, not a name; "Data" in Data Scientist and
    Data Engineer, "Analyst" in Financial Analyst and Data Analyst, "Payroll Tax" before its role noun in
    "Payroll Tax Specialist", or a role ending in its noun ("First-Line Supervisors" of "First-Line Supervisors
    of Retail Workers") are not. Level words do not count."""
    wanted = _WORD.findall(phrase.casefold())
    if not wanted or _is_role(wanted[-1]):
        return False
    contexts = set()
    for title in titles:
        words = _WORD.findall(strip_level(title).casefold())
        for start in range(len(words) - len(wanted) + 1):
            if words[start:start + len(wanted)] == wanted:
                end = start + len(wanted)
                contexts.add((words[start - 1] if start else None, words[end] if end < len(words) else None))
    if len(contexts) != 1:
        return False
    before, after = contexts.pop()
    # The whole modifier of a role ("Payroll Tax" of "Payroll Tax Specialist") names a field of work.
    return before is not None or (after is not None and not _is_role(after))


def as_written(words: str, titles: Sequence[str]) -> str | None:
    """Two words as some member writes them together, in either order, with at most small words between
    ("gas oil" -> "Oil and Gas"); None when no title has them side by side."""
    wanted = [w.casefold() for w in words.split()]
    if len(wanted) != 2:
        return words if len(wanted) == 1 else None
    for title in titles:
        tokens = re.findall(r"[\w&'+#.-]+", title)
        folded = [t.casefold() for t in tokens]
        for i, token in enumerate(folded):
            for j in range(i + 1, min(i + 3, len(folded))):
                between = folded[i + 1:j]
                if {token, folded[j]} == set(wanted) and all(w in _SMALL_WORDS for w in between):
                    return " ".join(tokens[i:j + 1])
    return None


def term_candidates(group: Group, n: int = 5) -> list[str]:
    casing = _casing(group.titles)
    names = []
    for term in group.terms[: 2 * n]:
        role = LEVEL_PREFIX.sub("", term + " ").strip()  # "lead operations" -> "operations"
        if role and display_case(role, casing) not in names and reads_as_written(role, group.titles):
            names.append(display_case(role, casing))
    return names[:n]


def _is_role(word: str) -> bool:
    folded = word.casefold()
    return folded in ROLE_NOUNS or (folded.endswith("s") and folded[:-1] in ROLE_NOUNS)


def top_words(group: Group) -> str:
    """The first two distinct words of the top terms without level words, put in reading order (role
    last): c-TF-IDF picks the words that set a group apart, so this is a contrastive candidate."""
    words: list[str] = []
    for term in group.terms:
        for word in LEVEL_PREFIX.sub("", term + " ").split():
            # One stem once: "engineering engineers" says "engineers".
            if word[:5].casefold() not in {w[:5].casefold() for w in words} and word not in _SMALL_WORDS \
                    and len(words) < 2:
                words.append(word)
    if len(words) == 2 and _is_role(words[0]):
        # "workers maintenance" -> "Maintenance Workers"; two roles -> "Operators and Tenders".
        words = [words[0], "and", words[1]] if _is_role(words[1]) else words[::-1]
    return display_case(" ".join(words), _casing(group.titles))


def _head_and_modifiers(role: str) -> tuple[str, list[str]] | None:
    role = without_possessive(role)
    if _is_c_suite(role):
        return "leader", []
    if _ROMANCE_LINK.search(f" {role} "):
        return None
    role_of_field = _ROLE_OF_FIELD.match(role)
    if role_of_field:
        before = [w for w in _WORD.findall(role_of_field["role"].casefold()) if w not in _SMALL_WORDS]
        after = [w for w in _WORD.findall(role_of_field["field"].casefold()) if w not in _SMALL_WORDS]
        if before and before[-1] in _LEADING_ROLES and after:
            return "leader", after
        if before and before[-1] in ROLE_NOUNS and after:
            return before[-1], before[:-1] + after
    words = [w for w in _WORD.findall(role.casefold())]
    words = [w for w in words if w not in _SMALL_WORDS]
    if not words:
        return None
    head = words[-1]
    singular = head[:-1] if head.endswith("s") and head[:-1] in ROLE_NOUNS else head
    if singular not in ROLE_NOUNS:
        return None
    return singular, words[:-1]


def head_noun_candidates(group: Group, min_share: float = 0.2, two_kinds: bool = False) -> list[str]:
    """Generalisations from shared head nouns: "Software Engineering", "Engineering", "Welders".

    Shares count titles as well as people (the larger wins): one title held by many must not hide the
    variety of the others, which is what a broad name has to cover. A role fewer than min_share of the members
    hold names only a corner of the group ("Students" among researchers and lecturers) and proposes nothing.
    two_kinds: also "Electrical and Mechanical Engineers" where no one kind of the most held role is common enough
    (for topics, whose category may have taken "Engineers").
    """
    heads: Counter = Counter()
    modifiers: dict[str, Counter] = defaultdict(Counter)
    modified: dict[str, list[tuple[set[str], np.ndarray]]] = defaultdict(list)  # each holder's modifier words
    pairs: dict[str, Counter] = defaultdict(Counter)  # adjacent modifier words: "full stack"
    words_anywhere: Counter = Counter()
    heads_of_word: dict[str, set[str]] = defaultdict(set)
    phrases: Counter = Counter()  # whole modifiers of two or more words: "talent acquisition"
    c_suite = np.zeros(2)
    for title, weight in zip(group.titles, group.people):
        role = strip_level(title)
        if _is_c_suite(without_possessive(role)):
            c_suite += np.array([weight, 1.0])
        parsed = _head_and_modifiers(role)
        head, mods = parsed if parsed else ("", [])
        if parsed:
            heads[head] += np.array([weight, 1.0])
            modified[head].append((set(mods), np.array([weight, 1.0])))
            for word in set(mods):
                modifiers[head][word] += np.array([weight, 1.0])
                heads_of_word[word].add(head)
            for pair in set(zip(mods, mods[1:])):
                pairs[head][" ".join(pair)] += np.array([weight, 1.0])
            if 2 <= len(mods) <= 3:
                phrase = " ".join(mods)
                phrases[phrase] += np.array([weight, 1.0])
                heads_of_word[phrase].add(head)
        if not _ROMANCE_LINK.search(f" {role} "):
            for word in {w for w in _WORD.findall(without_possessive(role).casefold())
                         if w not in _SMALL_WORDS | _VAGUE and w != head}:
                words_anywhere[word] += np.array([weight, 1.0])
    totals = np.array([float(group.people.sum()) or 1.0, float(len(group.titles)) or 1.0])

    def share(count, of=totals) -> float:
        return float(np.max(np.asarray(count) / of))

    def held_by_group(count) -> bool:
        # A modified role ("Applied Scientists") is made of the members' words: like a representative title it
        # must be held by MIN_SUPPORT of the group's people and titles, not only by 30 % of one head's holders.
        return float(np.min(np.asarray(count) / totals)) >= MIN_SUPPORT

    casing = _casing(group.titles)
    names = []
    for rank, head in enumerate(sorted(heads, key=lambda h: (-share(heads[h]), h))[:3]):
        if share(heads[head]) < min_share:
            break
        field_name = HEAD_FIELDS.get(head)
        ranked = sorted(modifiers[head], key=lambda m: (-share(modifiers[head][m], heads[head]), m))
        top_two = list(dict.fromkeys(_compound(word, modifiers[head], pairs[head]) for word in ranked))[:2]
        kinds = [modifier for modifier in top_two if modifier not in _VAGUE | _SMALL_WORDS and len(modifier) > 1]
        qualified = False
        for modifier in kinds:
            held = modifiers[head][modifier.split()[-1]]
            if share(held, heads[head]) >= MIN_QUALIFIER_SHARE and held_by_group(held):
                qualified = True
                mod = display_case(modifier, casing)
                if field_name:
                    names.append(f"{mod} {field_name}")
                names.append(f"{mod} {display_case(plural(head))}")
        if two_kinds and rank == 0 and not qualified and len(kinds) == 2 and name_key(kinds[0]) != name_key(kinds[1]) \
                and not any(is_fragment(modifier, group.titles) or any(map(_is_role, modifier.split()))
                            for modifier in kinds):
            # No one kind of the group's most held role is common enough, two together are: "Electrical and
            # Mechanical Engineers" for engineers of several hardware fields. Two kinds, not one spelt twice
            # ("Service and Services"), neither a piece of a member's phrase ("Chain" of "Supply Chain Manager") nor
            # a second role ("Technologists" of "Technologists and Technicians"). Not for a less held role, which
            # would name a corner of the group ("Software and Solutions Architects" for software engineers); not
            # for categories, which are named for their field ("Credit and Mortgage Managers" named a finance
            # category on the naming benchmark, where "Finance" did).
            either = sum((count for mods, count in modified[head] if {m.split()[-1] for m in kinds} & mods),
                         np.zeros(2))
            if share(either, heads[head]) >= MIN_QUALIFIER_SHARE and held_by_group(either):
                first, second = (display_case(modifier, casing) for modifier in kinds)
                names.append(f"{first} and {second} {display_case(plural(head))}")
        if field_name:
            names.append(field_name)
        names.append(display_case(plural(head)))
    if share(c_suite) >= min_share:
        names.append(C_SUITE_NAME)
    # A modifier shared across heads ("Data" in Data Scientist, Data Engineer, Data Analyst; "Talent
    # Acquisition" in Talent Acquisition Specialist and Manager) names a field; one that only ever qualifies
    # one head ("Project" in Project Manager) is named with it, above.
    for word in sorted(words_anywhere, key=lambda w: (-share(words_anywhere[w]), w))[:2]:
        if share(words_anywhere[word]) >= 0.15 and len(heads_of_word[word]) >= 2 and word not in _VAGUE \
                and word not in ROLE_NOUNS and len(word) > 2:
            names.append(display_case(word, casing))
    for phrase in sorted(phrases, key=lambda p: (-share(phrases[p]), p))[:2]:
        if share(phrases[phrase]) >= 0.15 and len(heads_of_word[phrase]) >= 2 \
                and reads_as_written(phrase, group.titles):
            names.append(display_case(phrase, casing))
    return names


def _compound(word: str, words: Counter, pairs: Counter) -> str:
    """The word, or the two-word modifier it only ever occurs in when several titles use that: "stack" in "Full Stack
    Developer" and "Senior Full Stack Developer" is "full stack" ("Stack Development" named no field). Counts are
    [people, titles]."""
    for pair, count in pairs.items():
        parts = pair.split()
        # "First-Line Supervisors ... Workers": a pair holding a role noun is two roles, not one modifier.
        if word in parts and not any(map(_is_role, parts)) and np.array_equal(count, words[word]) and count[1] >= 2:
            return pair
    return word


# An occupation must be the nearest one for this share of a group's titles to name the group: the centroid
# of a mixed group (or of titles the model cannot read) can land on an occupation no member is near.
MIN_OCCUPATION_VOTES = 0.2


def nearest_onet(group: Group, occupations: Occupations, n: int = 3) -> list[tuple[str, float]]:
    """Occupations that are the nearest one for many members (share of titles, by votes), then by closeness
    to the centroid; each with its cosine to the centroid."""
    nearest = np.argmax(_normalise(group.vectors) @ occupations.vectors.T, axis=1)
    votes = Counter(nearest.tolist())
    to_centroid = occupations.vectors @ group.centroid()
    chosen = [i for i, count in votes.items() if count / len(nearest) >= MIN_OCCUPATION_VOTES]
    chosen.sort(key=lambda i: (-votes[i], -to_centroid[i]))
    return [(occupations.titles[i], float(to_centroid[i])) for i in chosen[:n]]


def soc_major(group: Group, occupations: Occupations) -> tuple[str, float]:
    """The SOC major group most members' nearest occupations belong to, and its share of people."""
    nearest = np.argmax(_normalise(group.vectors) @ occupations.vectors.T, axis=1)
    votes: Counter = Counter()
    for index, weight in zip(nearest, group.people):
        votes[occupations.majors[index]] += weight
    major, count = votes.most_common(1)[0]
    return major, count / (float(group.people.sum()) or 1.0)


def onet_name(title: str) -> str | None:
    """O*NET titles can be long ("Teachers, Except ..."): keep the part before the first comma if it still
    names people ("Area, Ethnic, and Cultural Studies Teachers" must not become "Area")."""
    short = title.split(",")[0].strip()
    # "Helpers--Electricians" reads as a code, not a name.
    if "--" in short or len(short.split()) > MAX_NAME_WORDS or ("," in title and not short.endswith("s")):
        return None
    return short


def gather_evidence(group: Group, occupations: Occupations | None, n_titles: int = 8, n_terms: int = 8) -> Evidence:
    nearest = nearest_onet(group, occupations) if occupations is not None else []
    major, share = soc_major(group, occupations) if occupations is not None else ("", 0.0)
    return Evidence(top_titles=representative_titles(group, n_titles), top_terms=list(group.terms[:n_terms]),
                    nearest_occupations=[title for title, _ in nearest],
                    soc_group=SOC_SHORT_NAMES.get(major, ""), soc_share=share)


def class_name(name: str) -> str:
    """A name ending in a singular role noun names one person ("Engineer", "Full Stack Developer"); a group of
    titles is a class of people ("Engineers", "Full Stack Developers")."""
    words = name.split()
    if words and words[-1].casefold() in ROLE_NOUNS and words[-1].casefold() not in _FIELD_WORDS:
        return " ".join([*words[:-1], plural(words[-1])])
    return name


def candidates(group: Group, evidence: Evidence, proposal: str | None = None,
               level: str = "category") -> list[Candidate]:
    """All candidate names for one group, first source first when two propose the same name. level: "category"
    (its SOC major group is a candidate) or "topic" (too broad for one; two kinds of its role are)."""
    found: list[Candidate] = []
    seen: set[str] = set()

    def add(name: str | None, source: str) -> None:
        if not name:
            return
        name = " ".join(name.split()).strip(" .,;:-")
        if is_usable_name(name) and name.casefold() not in seen:
            seen.add(name.casefold())
            found.append(Candidate(name, source))

    add(proposal, "llm")
    for name in head_noun_candidates(group, two_kinds=level == "topic"):
        add(name, "head noun")
    for name in evidence.top_titles[:5]:
        add(name, "representative title")
    for occupation in evidence.nearest_occupations:
        add(onet_name(occupation), "O*NET")
    if level == "category" and evidence.soc_group:
        add(evidence.soc_group, "SOC group")
    for name in term_candidates(group):
        add(name, "terms")
    # The top words as members write them together ("Oil and Gas"); two words no member writes together are no
    # name ("Computer Students" from "computer science" and "student").
    written = as_written(top_words(group), group.titles)
    add(display_case(written, _casing(group.titles)) if written else None, "terms")

    return found


# --- Contrastive scoring and distinct choice -------------------------------------------------------------

# Weights of margin, precision and coverage in a candidate's score.
SCORE_WEIGHTS = (1.0, 0.5, 0.5)
SCORE_COLUMNS = ["group_index", "name", "source", "score", "margin", "precision", "coverage", "allowed", "accepted",
                 "member_title"]


def score_names(names_vectors: np.ndarray, own: int, centroids: np.ndarray, title_vectors: np.ndarray,
                title_group: np.ndarray, group_size: int, title_weights: np.ndarray | None = None) -> pd.DataFrame:
    """How well each name describes group `own` rather than its siblings.

    centroids: one row per group: own, siblings and rivals (groups not named here but competing).
    title_vectors/title_group: the member titles of all those groups and the index of the group each
      belongs to; title_weights: people per title (default one each).
    margin: cosine to the own centroid minus the nearest other centroid's (must be > 0 to be accepted).
      The own centroid leaves out the name's near-copies among the members: a member's title must not
      score by sitting next to itself (a group of one title keeps it).
    precision: share of the name's 20 nearest titles that are the group's own (near-copies of the name,
      cosine >= 0.95, left out: a name says little by being one member's spelling; the window shrinks by
      the own titles left out, and a name every own title copies counts as precise).
    coverage: the same share over as many nearest titles as the group has left: a name only one corner of
      the group is near reaches into the siblings before it covers its own group.
    score = margin + (precision + coverage) / 2 (SCORE_WEIGHTS).
    """
    sibling = np.ones(len(centroids), dtype=bool)
    sibling[own] = False
    rival = (names_vectors @ centroids[sibling].T).max(axis=1) if sibling.any() else np.zeros(len(names_vectors))
    similarity = names_vectors @ title_vectors.T
    weights = np.ones(len(title_group)) if title_weights is None else np.asarray(title_weights, float)
    own_sim = _own_similarity(names_vectors, similarity, centroids[own], title_vectors, title_group == own, weights)
    rows = []
    for row in range(len(names_vectors)):
        sims = similarity[row]
        keep = sims < NEAR_COPY_COSINE
        order = np.argsort(-sims[keep], kind="stable")
        neighbors = title_group[keep][order]
        # The own titles left out as near-copies shrink the window: they cannot be among the neighbors. A name
        # every own title copies (a group of one title, or of spellings of one) is the group's own.
        own_left = group_size - int((~keep & (title_group == own)).sum())
        if own_left <= 0:
            precision = coverage = 1.0
        else:
            precision = float((neighbors[: min(NEIGHBORS, own_left)] == own).mean()) if len(order) else 0.0
            coverage = float((neighbors[:own_left] == own).mean()) if len(order) else 0.0
        margin = float(own_sim[row] - rival[row])
        w_margin, w_precision, w_coverage = SCORE_WEIGHTS
        rows.append({"margin": margin, "precision": precision, "coverage": coverage,
                     "score": w_margin * margin + w_precision * precision + w_coverage * coverage,
                     "accepted": margin > 0})
    return pd.DataFrame(rows, columns=["score", "margin", "precision", "coverage", "accepted"])


def _own_similarity(names_vectors: np.ndarray, similarity: np.ndarray, centroid: np.ndarray,
                    title_vectors: np.ndarray, members: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Cosine of each name to its group's people-weighted centroid without the name's near-copies."""
    result = names_vectors @ centroid
    for row in range(len(names_vectors)):
        keep = members & (similarity[row] < NEAR_COPY_COSINE)
        if keep.any() and not keep[members].all():
            rest = _normalise((weights[keep, None] * title_vectors[keep]).sum(axis=0))[0]
            result[row] = float(names_vectors[row] @ rest)
    return result


def member_title_keys(titles: Sequence[str]) -> set[str]:
    """Members' titles as a name could copy them: as written, without level, and as the class they would be
    shown as ("Research Scientist" -> "research scientists"); case-folded."""
    keys = {" ".join(t.casefold().split()) for t in titles} | {strip_level(t).casefold() for t in titles}
    return keys | {class_name(key) for key in keys}


def is_member_title(name: str, members: set[str]) -> bool:
    """Whether a name is one member's title, also once shown as a class (the name a reader would see)."""
    return name.casefold() in members or class_name(name).casefold() in members


# Names made of the members' own words must be shared by this share of a group's people and titles.
MIN_SUPPORT = 0.1
_MEMBER_WORD_SOURCES = {"representative title", "terms"}
# A qualifier ("Financial" in "Financial Analysts") names the group only when the name's support is at least this
# share of the broader name's ("Analysts"). head_noun_candidates asks a modifier for the same share of its head's
# holders (there the larger of the people and title shares; support() takes the smaller).
MIN_QUALIFIER_SHARE = 0.3


def names_a_held_role(name: str, titles: Sequence[str]) -> bool:
    """Whether an occupation's name names a role some member holds: one of its role nouns (five-letter stem) is in
    a member's English title ("Team Assemblers" does not name team leads; "Teachers and Instructors" names
    teachers). A group with no English title is not judged: its members cannot write the English role."""
    english = [title for title in titles if is_english(title)]
    if not english:
        return True
    held = {word.casefold()[:5] for title in english for word in _WORD.findall(without_possessive(title))}
    words = _WORD.findall(name)
    roles = [word for word in words if _is_role(word)] or words[-1:]
    return any(word.casefold()[:5] in held for word in roles)


def support(name: str, group: Group) -> float:
    """Share of members whose title holds every word of the name (five-letter stems): the smaller of the
    share of people and the share of titles."""
    wanted = set(name_key(name).split())
    if not wanted:
        return 0.0
    return _held_share([wanted <= set(name_key(title).split()) for title in group.titles], group)


def role_support(role: str, group: Group) -> float:
    """Share of members whose title parses to this head role (_head_and_modifiers): the smaller of the share of
    people and the share of titles, as in support()."""
    return _held_share([(_head_and_modifiers(strip_level(title)) or ("",))[0] == role for title in group.titles],
                       group)


def _held_share(held: Sequence[bool], group: Group) -> float:
    held = np.asarray(held, dtype=bool)
    # Titles as well as people: a name only the one most-held title carries is still narrow.
    return float(min(group.people[held].sum() / (group.people.sum() or 1.0), held.mean()))


def _names_leaders(name: str) -> bool:
    """A name for leaders as a whole ("Leadership", "Leaders", "Executive Leadership"), not one kind of them."""
    words = name_key(name).split()
    return bool(words) and words[-1] in {name_key(HEAD_FIELDS["leader"]), name_key(plural("leader"))}


def narrower_than_group(name: str, broader: Sequence[str], group: Group) -> bool:
    """Whether a name made of members' words qualifies a broader candidate for too few of its holders: its support
    is below MIN_QUALIFIER_SHARE of the broader one's. The example's analysts: 3 of their 29 titles and 5 of their
    34 people are financial analysts (support 0.10, the smaller share) against 0.93 for "Analysts". Broader: a
    candidate that keeps the name's last word and drops some of the others ("Service" does not broaden "Service
    Managers"). The last word is usually the role; where it is not ("Director of Operations"), a broader name
    still has to be accepted to count (candidate_table)."""
    words = set(name_key(name).split())
    head = name_key(name.split()[-1]) if name.split() else ""
    own = support(name, group)
    if _is_c_suite(name) and any(_names_leaders(other) for other in broader):
        # "CEO" writes no role word: it is one kind of leader, and a group of CTOs, CDOs and heads of fields
        # is named for the leaders (on the example 0.09 of its people and titles are CEOs, 0.5 are leaders),
        # not for its chief executives.
        leaders = role_support("leader", group)
        if leaders > 0 and own / leaders < MIN_QUALIFIER_SHARE:
            return True
    for other in broader:
        other_words = set(name_key(other).split())
        if head in other_words and other_words < words:
            held = support(other, group)
            if held > 0 and own / held < MIN_QUALIFIER_SHARE:
                return True
    return False


Prepared = tuple[list[Evidence], list[list[Candidate]]]


def prepare_candidates(groups: Sequence[Group], occupations: Occupations | None,
                       proposals: Sequence[str | None] | None, level: str) -> Prepared:
    """Each group's evidence and candidate names (candidates), before any is embedded or scored."""
    evidence = [gather_evidence(g, occupations) for g in groups]
    proposed = list(proposals) if proposals is not None else [None] * len(groups)
    return evidence, [candidates(g, e, p, level) for g, e, p in zip(groups, evidence, proposed)]


def candidate_table(groups: Sequence[Group], embed: Embed, *, occupations: Occupations | None = None,
                    proposals: Sequence[str | None] | None = None, level: str = "category", avoid: Sequence[str] = (),
                    rivals: Sequence[Group] = (), prepared: Prepared | None = None) -> tuple[pd.DataFrame, list[Evidence]]:
    """Every candidate of every group with its contrastive score (SCORE_COLUMNS), and each group's evidence.

    prepared: prepare_candidates' result for these groups, occupations, proposals and level (computed here when
    None).

    rivals: groups that are not named here but that a name must not describe better than its own (their
    centroids compete in the margin, their titles in precision and coverage).
    accepted: passed the sibling test (score_names) and is allowed. Not allowed, whatever the score (used
    only when a group has nothing else): a name a group must avoid; a representative title or term that
    fewer than MIN_SUPPORT of the members hold, or that qualifies a broader accepted candidate for fewer than
    MIN_QUALIFIER_SHARE of its holders (narrower_than_group); a term that is only ever a piece of one longer
    phrase of the members (is_fragment: "Open" of "Open to Work"); a member's own title for a group of more than
    BROAD_GROUP_TITLES titles; a name that is not English (when the O*NET vocabulary is known).
    """
    everyone = [*groups, *rivals]
    centroids = np.vstack([g.centroid() for g in everyone])
    title_vectors = _normalise(np.vstack([g.vectors for g in everyone]))
    title_group = np.concatenate([np.full(len(g.titles), i) for i, g in enumerate(everyone)])
    title_weights = np.concatenate([g.people for g in everyone])
    evidence, per_group = prepared or prepare_candidates(groups, occupations, proposals, level)
    unique_names = sorted({c.name for cands in per_group for c in cands})
    vectors = dict(zip(unique_names, _normalise(embed(unique_names)))) if unique_names else {}
    avoid_keys = {name_key(a) for a in avoid}
    vocabulary = occupations.vocabulary if occupations is not None else frozenset()
    parts = []
    for index, (group, cands) in enumerate(zip(groups, per_group)):
        if not cands:
            continue
        matrix = np.vstack([vectors[c.name] for c in cands])
        table = score_names(matrix, index, centroids, title_vectors, title_group, len(group.titles), title_weights)
        table.insert(0, "source", [c.source for c in cands])
        table.insert(0, "name", [c.name for c in cands])
        table.insert(0, "group_index", index)
        table.loc[table["source"] == "llm", "score"] += LLM_BONUS
        members = member_title_keys(group.titles)
        broad = len(group.titles) > BROAD_GROUP_TITLES
        # A group is not named by words only a few of its members use ("Software Engineering Intern" for
        # software engineers); a broad one is named for its field, not by one member's title.
        vetoed = [name_key(c.name) in avoid_keys or not looks_english(c.name, vocabulary)
                  or (c.source in _MEMBER_WORD_SOURCES and support(c.name, group) < MIN_SUPPORT)
                  or (c.source == "terms" and is_fragment(c.name, group.titles))
                  or (c.source == "O*NET" and not names_a_held_role(c.name, group.titles))
                  or (broad and is_member_title(c.name, members))
                  for c in cands]
        table["allowed"] = ~np.array(vetoed, dtype=bool)
        table["accepted"] = table["accepted"] & table["allowed"]
        # A broader accepted name ("Analysts") wins over one qualifying it for a few of its holders ("Financial
        # Analysts"); without an accepted broader name the narrow one stays (it beats naming no role).
        broader = table.loc[table["accepted"], "name"].tolist()
        narrow = np.array([c.source in _MEMBER_WORD_SOURCES and narrower_than_group(c.name, broader, group)
                           for c in cands], dtype=bool)
        table["allowed"] &= ~narrow
        table["accepted"] &= ~narrow
        # When nothing is allowed, a broad group is still better named by a rare phrase than by a member's title.
        table["member_title"] = [broad and is_member_title(c.name, members) for c in cands]
        parts.append(table)
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SCORE_COLUMNS)
    return table[SCORE_COLUMNS], evidence


def choose_distinct(table: pd.DataFrame, n_groups: int) -> dict[int, int]:
    """Row of `table` chosen per group: allowed and accepted first, best score first, each name key used once.

    A name two groups want goes to the pair that scores higher; the other group takes its runner-up
    (toponymy's disambiguation idea, without asking an LLM again). A group whose every candidate is taken
    gets no row here.
    """
    order = table.assign(_rank=table["source"].map(SOURCES.index)).sort_values(
        ["allowed", "accepted", "member_title", "score", "group_index", "_rank", "name"],
        ascending=[False, False, True, False, True, True, True],
        kind="stable")
    chosen: dict[int, int] = {}
    taken: set[str] = set()
    for row, group_index, name in zip(order.index, order["group_index"], order["name"]):
        key = name_key(name)
        if group_index in chosen or key in taken or not key:
            continue
        chosen[int(group_index)] = int(row)
        taken.add(key)
        if len(chosen) == n_groups:
            break
    return chosen


AUDIT_COLUMNS = ["group", "name", "source", "score", "margin", "precision", "coverage", "contrastive",
                 "runner_up", "runner_up_source", "runner_up_score", "n_titles", "top_titles", "top_terms",
                 "nearest_occupation", "soc_group"]


def name_groups(groups: Sequence[Group], embed: Embed, *, occupations: Occupations | None = None,
                proposals: Sequence[str | None] | None = None, level: str = "category",
                avoid: Sequence[str] = (), rivals: Sequence[Group] = (), prepared: Prepared | None = None,
                ) -> pd.DataFrame:
    """Name sibling groups together; one audit row per group (AUDIT_COLUMNS), in input order.

    proposals: an LLM's name per group (None where it had none), checked like every other candidate.
    avoid: names the groups must not take (e.g. their category's name, when naming its topics).
    rivals: groups a name must not describe better than its own (e.g. the other categories, for topics).
    level: "category" or "topic", the candidates each is offered (candidates).
    contrastive: whether the name passed the sibling test (False: the best that was left).
    """
    if not groups:
        return pd.DataFrame(columns=AUDIT_COLUMNS)
    table, evidence = candidate_table(groups, embed, occupations=occupations, proposals=proposals, level=level,
                                      avoid=avoid, rivals=rivals, prepared=prepared)
    chosen = choose_distinct(table, len(groups))
    taken = {name_key(table.at[row, "name"]) for row in chosen.values()}
    rows = []
    for index, group in enumerate(groups):
        ev = evidence[index]
        own = table[table["group_index"] == index].sort_values(
            ["allowed", "accepted", "member_title", "score"], ascending=[False, False, True, False], kind="stable")
        if index in chosen:
            pick = table.loc[chosen[index]]
            name, source, score = pick["name"], pick["source"], pick
        else:  # every candidate went to a sibling: a term or title nobody holds, flagged as not contrastive
            name = next((t for t in term_candidates(group, 20) + ev.top_titles
                         if name_key(t) not in taken and is_usable_name(t)), f"Group {index + 1}")
            taken.add(name_key(name))
            source, score = "terms", None
        runner = own[own["name"].map(name_key) != name_key(name)].head(1)
        runner_up = runner["name"].iat[0] if len(runner) else ""
        if len({title.casefold() for title in group.titles}) > 1:
            # Scored as members write it (singular), shown as the class of people it names.
            name, runner_up = class_name(name), class_name(runner_up)
        rows.append({
            "group": group.key, "name": name, "source": source,
            "score": float(score["score"]) if score is not None else float("nan"),
            "margin": float(score["margin"]) if score is not None else float("nan"),
            "precision": float(score["precision"]) if score is not None else float("nan"),
            "coverage": float(score["coverage"]) if score is not None else float("nan"),
            "contrastive": bool(score["accepted"]) if score is not None else False,
            "runner_up": runner_up,
            "runner_up_source": runner["source"].iat[0] if len(runner) else "",
            "runner_up_score": float(runner["score"].iat[0]) if len(runner) else float("nan"),
            "n_titles": len(group.titles), "top_titles": ev.top_titles[:5], "top_terms": ev.top_terms[:5],
            "nearest_occupation": ev.nearest_occupations[0] if ev.nearest_occupations else "",
            "soc_group": ev.soc_group,
        })
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)


def name_two_levels(categories: Sequence[Group], topics: dict[Hashable, Sequence[Group]], embed: Embed, *,
                    occupations: Occupations | None = None,
                    category_proposals: Sequence[str | None] | None = None,
                    topic_proposals: dict[Hashable, Sequence[str | None]] | None = None,
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Category names among all categories, then topic names among the topics of each category.

    topics: category key -> its topics. Topic names differ within a category and from the category's own
    name, except a category's only topic, which is the category and carries its name. SOC major groups are
    too broad for topics and are left out there; two kinds of a topic's role are offered there (candidates). The
    topic audit carries a `category` column. Topics are named against their sibling topics and against the other
    categories: a name that tells two data topics apart ("Life Scientists") must still not fit the academics
    better.
    """
    category_prepared = prepare_candidates(categories, occupations, category_proposals, "category")
    topic_prepared = {category.key: prepare_candidates(topics[category.key], occupations,
                                                       (topic_proposals or {}).get(category.key), "topic")
                      for category in categories if len(topics.get(category.key, [])) > 1}
    embed = _embedded_at_once(embed, [category_prepared, *topic_prepared.values()])
    category_audit = name_groups(categories, embed, occupations=occupations, proposals=category_proposals,
                                 prepared=category_prepared)
    name_of = dict(zip(category_audit["group"], category_audit["name"]))
    parts = []
    for position, category in enumerate(categories):
        members = list(topics.get(category.key, []))
        if not members:
            continue
        if len(members) == 1:  # the topic is the category: another name would invent a difference
            audit = category_audit[category_audit["group"] == category.key].assign(group=members[0].key)
        else:
            others = [other for index, other in enumerate(categories) if index != position]
            audit = name_groups(members, embed, occupations=occupations, level="topic",
                                proposals=(topic_proposals or {}).get(category.key),
                                avoid=[name_of[category.key]], rivals=others, prepared=topic_prepared[category.key])
        audit.insert(0, "category", category.key)
        parts.append(audit)
    topic_audit = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["category", *AUDIT_COLUMNS])
    return category_audit, topic_audit


def _embedded_at_once(embed: Embed, prepared: Sequence[Prepared]) -> Embed:
    """`embed`, asked once for every candidate name of every naming round: the workflow's embedder computes a full
    batch for each text length on every call (jobtopics.embed), so twenty calls of thirty names cost several times
    one call of six hundred. A local-language name (jobtopics.pivot) borrows from the English names of every round."""
    names = sorted({c.name for _, per_group in prepared for cands in per_group for c in cands})
    known = dict(zip(names, embed(names))) if names else {}
    # candidate_table asks only for the names of the prepared candidates it is given: all of them are known.
    return lambda texts: np.vstack([known[text] for text in texts])
