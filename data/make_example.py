"""Generate a synthetic LinkedIn connections export (``Connections.csv``).

The output mimics a real "Download your data" export byte for byte in layout:
the three-line ``Notes:`` preamble, the exact header, RFC 4180 quoting, mostly
empty e-mail addresses, a few hidden members and the trailing ``,,,,,,`` row.
Every random choice flows from one seed, so the same seed (and the same Faker
version) always yields the same bytes.

Usage:
    .venv/bin/python data/make_example.py --rows 600 --seed 42 \
        --out data/example/Connections.csv
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from faker import Faker

HEADER = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
LEGACY_HEADER = [col for col in HEADER if col != "URL"]

NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses are "
    "missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)

# A fixed window (not "today") keeps the output reproducible.
FIRST_DAY = date(2012, 1, 1)
LAST_DAY = date(2026, 11, 20)

# Share of each nationality in the network; English-speaking contacts dominate.
LOCALE_WEIGHTS = {
    "en_US": 34, "en_GB": 12, "de_DE": 11, "fr_FR": 8, "es_ES": 7,
    "it_IT": 6, "nl_NL": 6, "pt_BR": 6, "pl_PL": 5, "sv_SE": 5,
}

# Probabilities of the export's quirks, measured on real files.
P_HIDDEN_MEMBER = 0.01
P_EMAIL = 0.05
P_NO_COMPANY = 0.04
P_NO_POSITION = 0.04
P_LOCAL_LANGUAGE_TITLE = 0.3  # for contacts from a non-English locale

# Zipf exponent for title and employer popularity: a few titles ("Software
# Engineer", "Data Scientist") are everywhere, most appear once or twice.
ZIPF_S = 1.1

# --- Job titles ---------------------------------------------------------------
# group -> (share of the network, accepts seniority prefixes, titles ordered
# from most to least common). Groups without prefixes already encode rank
# ("Head of Data", "Assistant Professor") or would read oddly ("Senior Student").
TITLE_GROUPS: dict[str, tuple[float, bool, list[str]]] = {
    "software": (22, True, [
        "Software Engineer", "Software Developer", "Backend Engineer", "Full Stack Developer",
        "Frontend Engineer", "DevOps Engineer", "Site Reliability Engineer", "Cloud Engineer",
        "Solutions Architect", "Software Architect", "Platform Engineer", "Web Developer",
        "Java Developer", "Python Developer", "iOS Developer", "Android Developer",
        "Mobile Developer", "Full Stack Engineer", "Security Engineer", "QA Engineer",
        "Test Automation Engineer", "Cloud Architect", "Embedded Software Engineer",
        "Infrastructure Engineer", ".NET Developer", "JavaScript Developer", "React Developer",
        "Systems Engineer", "Technical Lead", "Enterprise Architect",
        "Software Development Engineer",
        "Software Development Engineer in Test", "Network Engineer", "Systems Administrator",
        "Database Administrator", "Cybersecurity Analyst", "Game Developer", "Firmware Engineer",
        "Developer Advocate", "Release Engineer", "Blockchain Developer", "Salesforce Developer",
        "SAP Consultant", "IT Support Specialist", "Kubernetes Engineer", "Golang Developer",
    ]),
    "data": (20, True, [
        "Data Scientist", "Data Engineer", "Data Analyst", "Machine Learning Engineer",
        "Business Intelligence Analyst", "Analytics Engineer", "AI Engineer", "Research Scientist",
        "Applied Scientist", "BI Developer", "MLOps Engineer", "Data Architect",
        "Product Analyst", "Quantitative Analyst", "Computer Vision Engineer", "NLP Engineer",
        "Statistician", "Big Data Engineer", "Deep Learning Engineer", "Machine Learning Scientist",
        "Decision Scientist", "Insights Analyst", "Marketing Analyst", "Reporting Analyst",
        "Power BI Developer", "ETL Developer", "Database Developer", "Data Governance Analyst",
        "Data Steward", "Generative AI Engineer", "LLM Engineer", "Prompt Engineer",
        "Bioinformatician", "Econometrician", "Data Quality Analyst", "Geospatial Data Scientist",
        "Machine Learning Researcher", "AI Research Scientist", "Data Product Manager",
        "Analytics Manager", "Data Science Manager",
    ]),
    "engineering": (5, True, [
        "Mechanical Engineer", "Electrical Engineer", "Process Engineer", "Project Engineer",
        "Civil Engineer", "Quality Engineer", "Manufacturing Engineer", "Hardware Engineer",
        "Design Engineer", "Automation Engineer", "R&D Engineer", "Chemical Engineer",
        "Controls Engineer", "Structural Engineer", "Test Engineer", "Robotics Engineer",
        "Reliability Engineer", "Field Service Engineer", "Electronics Engineer",
        "Aerospace Engineer", "Biomedical Engineer", "Environmental Engineer", "Energy Engineer",
    ]),
    "product": (6, True, [
        "Product Manager", "Product Owner", "Technical Product Manager",
        "Product Marketing Manager",
        "Group Product Manager", "Associate Product Manager", "Growth Product Manager",
        "Product Operations Manager", "Product Specialist",
    ]),
    "design": (4, True, [
        "Product Designer", "UX Designer", "UX/UI Designer", "UX Researcher", "Graphic Designer",
        "UI Designer", "Visual Designer", "Interaction Designer", "Service Designer",
        "Content Designer", "Motion Designer", "Design Manager", "Art Director",
    ]),
    "delivery": (6, True, [
        "Project Manager", "Program Manager", "Technical Program Manager", "Scrum Master",
        "Engineering Manager", "Agile Coach", "Delivery Manager", "Team Lead",
        "Operations Manager", "IT Project Manager", "Release Manager", "PMO Analyst",
    ]),
    "leadership": (8, False, [
        "CTO", "CEO", "Director of Engineering", "Head of Data", "VP of Engineering",
        "Head of Engineering", "Managing Director", "Head of Product", "Director of Data Science",
        "Vice President, Engineering", "Chief Technology Officer", "Head of Data Science",
        "Director, Product Management", "Head of AI", "Chief Data Officer", "General Manager",
        "Head of Analytics", "VP of Product", "Director of Product", "Chief Executive Officer",
        "COO", "CIO", "CFO", "Chief Product Officer", "Head of IT", "Head of Design",
        "Head of Research", "Director, Data & Analytics", "Vice President, Data Science",
        "Country Manager", "Board Member", "Non-Executive Director", "Chief Operating Officer",
        "Head of Operations", "Head of Platform", "Head of Security",
    ]),
    "academia": (7, False, [
        "PhD Candidate", "Postdoctoral Researcher", "Professor", "Assistant Professor",
        "Associate Professor", "Research Assistant", "PhD Student", "Lecturer", "Researcher",
        "Research Associate", "Doctoral Researcher", "Research Fellow", "Senior Lecturer",
        "Teaching Assistant", "Visiting Researcher", "Research Engineer", "Principal Investigator",
        "Full Professor", "Lab Manager", "Postdoctoral Fellow", "Head of Department", "Dean",
        "Professor of Computer Science", "Professor of Statistics",
    ]),
    "sales": (4, True, [
        "Account Executive", "Account Manager", "Business Development Manager", "Sales Manager",
        "Customer Success Manager", "Key Account Manager", "Sales Development Representative",
        "Sales Engineer", "Business Development Representative", "Regional Sales Manager",
        "Pre-Sales Consultant", "Inside Sales Representative", "Enterprise Account Executive",
        "Partner Manager", "Channel Sales Manager", "Head of Sales", "VP of Sales",
    ]),
    "marketing": (4, True, [
        "Marketing Manager", "Digital Marketing Manager", "Content Marketing Manager",
        "Marketing Specialist", "Social Media Manager", "Growth Marketer", "Brand Manager",
        "Communications Manager", "SEO Specialist", "Performance Marketing Manager",
        "Marketing Coordinator", "Copywriter", "Content Strategist", "PR Manager",
        "Community Manager", "Event Manager", "CMO", "Head of Marketing",
    ]),
    "people": (4, True, [
        "Technical Recruiter", "Recruiter", "Talent Acquisition Specialist", "HR Manager",
        "HR Business Partner", "Talent Acquisition Manager", "People Partner", "HR Generalist",
        "Recruitment Consultant", "Talent Sourcer", "Manager, Talent Acquisition",
        "People Operations Manager", "Learning and Development Manager",
        "Compensation and Benefits Analyst", "Executive Search Consultant", "Head of People",
        "Chief People Officer", "Head of Talent",
    ]),
    "finance": (3, True, [
        "Financial Analyst", "Accountant", "Finance Manager", "Financial Controller",
        "Investment Analyst", "Risk Analyst", "Auditor", "Controller", "Credit Analyst",
        "Portfolio Manager", "Investment Banker", "Tax Advisor", "Treasury Analyst", "Actuary",
        "FP&A Manager", "Venture Capital Associate", "Chartered Accountant", "Compliance Analyst",
    ]),
    "consulting": (4, True, [
        "Consultant", "Business Analyst", "Management Consultant", "IT Consultant",
        "Strategy Consultant", "Technology Consultant", "Data Consultant", "Business Consultant",
        "Associate Consultant", "Engagement Manager", "Principal Consultant",
        "Freelance Consultant", "Independent Consultant", "Partner",
    ]),
    "healthcare": (1.5, False, [
        "Registered Nurse", "Physician", "Clinical Research Associate", "Pharmacist",
        "Biostatistician", "Psychologist", "Physiotherapist", "Medical Doctor", "Epidemiologist",
        "Clinical Data Manager", "Dentist", "Health Data Analyst", "Medical Science Liaison",
        "Nurse Practitioner",
    ]),
    "legal": (1, False, [
        "Lawyer", "Legal Counsel", "Attorney", "Data Protection Officer", "Compliance Officer",
        "General Counsel", "Paralegal", "Patent Attorney", "Solicitor", "Associate Attorney",
    ]),
    "education": (1.5, False, [
        "Teacher", "Instructor", "Trainer", "Mathematics Teacher", "High School Teacher",
        "Instructional Designer", "Tutor", "Education Consultant", "Curriculum Developer",
        "School Principal", "Data Science Instructor",
    ]),
    "operations": (2.5, True, [
        "Operations Analyst", "Supply Chain Manager", "Executive Assistant", "Office Manager",
        "Procurement Manager", "Customer Support Specialist", "Logistics Coordinator",
        "Administrative Assistant", "Business Operations Manager", "Buyer",
        "Customer Service Representative", "Facility Manager", "Operations Specialist",
    ]),
    "founders": (3, False, [
        "Founder", "Co-Founder", "Founder & CEO", "Co-Founder & CTO", "Owner", "Entrepreneur",
        "Freelancer", "Self-employed", "Advisor", "Angel Investor", "Founder and Managing Director",
        "Co-founder & COO", "Startup Founder", "Freelance Data Scientist",
    ]),
    "students": (3, False, [
        "Student", "Data Science Intern", "Software Engineering Intern", "Intern",
        "Master's Student", "Computer Science Student", "MSc Student", "Working Student",
        "Graduate Student", "Undergraduate Student", "Trainee", "Graduate Trainee",
        "Apprentice", "Research Intern", "MSc Data Science Student",
        "BSc Computer Science student", "Bootcamp Graduate",
    ]),
    "job_seekers": (1, False, [
        "Open to work", "Looking for new opportunities", "Seeking new opportunities",
        "Open to Work | Data Analyst", "Actively looking for Data Science roles", "Career break",
        "Aspiring Data Scientist",
    ]),
}

# Titles in the contact's own language; "m / f" gives the gendered forms.
LOCAL_TITLES: dict[str, list[str]] = {
    "de_DE": [
        "Softwareentwickler / Softwareentwicklerin", "Projektleiter / Projektleiterin",
        "Wissenschaftlicher Mitarbeiter / Wissenschaftliche Mitarbeiterin",
        "Werkstudent / Werkstudentin", "Geschäftsführer / Geschäftsführerin",
        "Berater / Beraterin", "Teamleiter / Teamleiterin", "Datenanalyst / Datenanalystin",
        "Doktorand / Doktorandin", "Entwicklungsingenieur / Entwicklungsingenieurin",
        "Personalreferent / Personalreferentin", "Vertriebsleiter / Vertriebsleiterin",
        "Abteilungsleiter / Abteilungsleiterin", "Sachbearbeiter / Sachbearbeiterin",
        "Fachinformatiker für Anwendungsentwicklung",
    ],
    "fr_FR": [
        "Ingénieur logiciel / Ingénieure logiciel", "Chef de projet / Cheffe de projet",
        "Développeur web / Développeuse web", "Consultant / Consultante",
        "Responsable marketing", "Doctorant / Doctorante",
        "Chargé de recrutement / Chargée de recrutement",
        "Ingénieur d'études / Ingénieure d'études", "Directeur général / Directrice générale",
        "Enseignant-chercheur / Enseignante-chercheuse",
        "Directeur commercial / Directrice commerciale", "Stagiaire",
        "Chargé d'affaires / Chargée d'affaires",
    ],
    "es_ES": [
        "Desarrollador de software / Desarrolladora de software", "Analista de datos",
        "Jefe de proyecto / Jefa de proyecto", "Ingeniero de datos / Ingeniera de datos",
        "Consultor / Consultora", "Director general / Directora general",
        "Responsable de recursos humanos", "Profesor titular / Profesora titular",
        "Técnico de selección / Técnica de selección", "Becario / Becaria", "Gerente de ventas",
        "Investigador predoctoral / Investigadora predoctoral",
    ],
    "it_IT": [
        "Sviluppatore software / Sviluppatrice software", "Responsabile marketing",
        "Consulente", "Ingegnere informatico", "Analista programmatore / Analista programmatrice",
        "Ricercatore / Ricercatrice", "Personalista", "Responsabile risorse umane",
        "Amministratore delegato / Amministratrice delegata", "Impiegato / Impiegata",
        "Dottorando / Dottoranda", "Direttore commerciale / Direttrice commerciale",
    ],
    "nl_NL": [
        "Softwareontwikkelaar", "Projectleider", "Adviseur", "Teamleider", "Data-analist",
        "Beleidsmedewerker", "Eigenaar", "Directeur", "Docent", "Promovendus", "Accountmanager",
        "Medewerker klantenservice", "Stagiair",
    ],
    "pt_BR": [
        "Analista de dados", "Desenvolvedor de software / Desenvolvedora de software",
        "Engenheiro de dados / Engenheira de dados", "Cientista de dados", "Analista de sistemas",
        "Gerente de projetos", "Coordenador de TI / Coordenadora de TI",
        "Estagiário / Estagiária", "Analista de recursos humanos",
        "Diretor executivo / Diretora executiva",
        "Professor universitário / Professora universitária", "Consultor SAP / Consultora SAP",
    ],
    "pl_PL": [
        "Programista / Programistka", "Kierownik projektu", "Analityk danych / Analityczka danych",
        "Inżynier oprogramowania", "Specjalista ds. rekrutacji / Specjalistka ds. rekrutacji",
        "Tester oprogramowania / Testerka oprogramowania",
        "Starszy programista / Starsza programistka",
        "Dyrektor sprzedaży / Dyrektorka sprzedaży", "Właściciel / Właścicielka",
        "Doktorant / Doktorantka", "Specjalista ds. marketingu / Specjalistka ds. marketingu",
        "Księgowy / Księgowa",
    ],
    "sv_SE": [
        "Systemutvecklare", "Projektledare", "Utvecklare", "Konsult", "VD",
        "Verksamhetsutvecklare", "Doktorand", "Säljare", "Rekryterare", "Enhetschef",
        "Dataanalytiker",
    ],
}

SENIORITY = {"Senior": 55, "Junior": 10, "Lead": 12, "Principal": 8, "Staff": 6,
             "Associate": 5, "Sr.": 4}
TEAMS = ["Platform", "Payments", "Growth", "Infrastructure", "Search", "Risk", "Core",
         "Cloud", "Mobile", "EMEA", "DACH", "Nordics", "Marketplace", "Ads", "Backend",
         "Machine Learning", "Data Platform", "Fraud"]
SIDE_ROLES = ["Speaker", "Mentor", "Author", "PhD", "Kaggle Master", "Open Source Contributor",
              "Podcast Host", "Angel Investor", "AWS Certified", "Python", "SQL",
              "Machine Learning", "Writer", "Board Member", "Startup Advisor", "Volunteer",
              "Teacher", "Lifelong learner", "Dad of two", "Runner"]
SEPARATORS = [" | ", " | ", " | ", " • ", " · ", " / "]
EMOJI = ["🚀", "☁️", "📊", "🤖", "✨", "💡", "🌍", "👩‍💻", "🎓", "📈", "🔥"]

# Well-known employers recur across a tech network; listed by how often.
BIG_EMPLOYERS = [
    "Google", "Microsoft", "Amazon", "Accenture", "Amazon Web Services (AWS)", "IBM",
    "Deloitte", "Meta", "SAP", "Capgemini", "PwC", "Apple", "Siemens", "Spotify", "EY",
    "KPMG", "Booking.com", "Zalando", "Salesforce", "Oracle", "NVIDIA", "McKinsey & Company",
    "Thoughtworks", "Databricks", "Bosch", "Ericsson", "ING", "Adyen", "Allianz",
    "BNP Paribas", "Santander", "Revolut", "Nubank", "Allegro", "Snowflake",
]
UNIVERSITIES = {
    "en_US": ["Stanford University", "Massachusetts Institute of Technology",
              "University of California, Berkeley", "Carnegie Mellon University",
              "Georgia Institute of Technology", "University of Washington"],
    "en_GB": ["University of Oxford", "University of Cambridge", "Imperial College London",
              "UCL", "The University of Edinburgh", "University of Manchester"],
    "de_DE": ["Technische Universität München", "Karlsruher Institut für Technologie (KIT)",
              "RWTH Aachen University", "Humboldt-Universität zu Berlin"],
    "fr_FR": ["Sorbonne Université", "École Polytechnique", "Université Paris-Saclay", "Inria"],
    "es_ES": ["Universidad Complutense de Madrid", "Universitat Politècnica de Catalunya",
              "Universidad Politécnica de Madrid"],
    "it_IT": ["Politecnico di Milano", "Università di Bologna", "Sapienza Università di Roma"],
    "nl_NL": ["Delft University of Technology", "Universiteit van Amsterdam",
              "Eindhoven University of Technology"],
    "pt_BR": ["Universidade de São Paulo", "Unicamp", "Universidade Federal do Rio de Janeiro"],
    "pl_PL": ["Uniwersytet Warszawski", "Politechnika Warszawska", "AGH University of Krakow"],
    "sv_SE": ["KTH Royal Institute of Technology", "Chalmers University of Technology",
              "Lund University"],
}
ACADEMIC_GROUPS = {"academia", "students"}

EMAIL_DOMAINS = {
    "en_US": ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com"],
    "en_GB": ["gmail.com", "hotmail.co.uk", "outlook.com", "btinternet.com"],
    "de_DE": ["gmail.com", "web.de", "gmx.de", "t-online.de"],
    "fr_FR": ["gmail.com", "orange.fr", "free.fr", "hotmail.fr"],
    "es_ES": ["gmail.com", "hotmail.es", "yahoo.es"],
    "it_IT": ["gmail.com", "libero.it", "hotmail.it"],
    "nl_NL": ["gmail.com", "hotmail.nl", "live.nl", "ziggo.nl"],
    "pt_BR": ["gmail.com", "hotmail.com", "uol.com.br", "bol.com.br"],
    "pl_PL": ["gmail.com", "wp.pl", "onet.pl", "o2.pl"],
    "sv_SE": ["gmail.com", "hotmail.se", "telia.com"],
}

# Letters NFKD does not decompose into ASCII.
_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE",
                           "ß": "ss", "œ": "oe", "Œ": "OE", "đ": "d", "Đ": "D"})


def zipf_weights(n: int, total: float = 1.0) -> list[float]:
    """Weights proportional to 1/rank**ZIPF_S, scaled to sum to ``total``."""
    raw = [1 / (rank ** ZIPF_S) for rank in range(1, n + 1)]
    scale = total / sum(raw)
    return [w * scale for w in raw]


# Flattened catalogue of English base titles with their popularity weights.
_CATALOGUE = [
    (title, group, levelable)
    for group, (_, levelable, titles) in TITLE_GROUPS.items()
    for title in titles
]
_CATALOGUE_WEIGHTS = [
    w
    for share, _, titles in TITLE_GROUPS.values()
    for w in zipf_weights(len(titles), share)
]


def ascii_slug(*parts: str, sep: str = "-") -> str:
    """Lower-case ASCII slug as LinkedIn builds public profile URLs."""
    text = unicodedata.normalize("NFKD", " ".join(parts).translate(_TRANSLIT))
    text = text.encode("ascii", "ignore").decode().lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", sep, text).strip(sep)


def gendered(title: str, female: bool) -> str:
    """Pick the masculine or feminine form of a "m / f" local title."""
    forms = title.split(" / ")
    return forms[-1] if female else forms[0]


# How often a title carries a team/speciality or side roles. "high" matches networks whose
# headlines are mostly free text (about three in four titles unique), as in large real exports.
VARIETY = {"normal": {"team": 0.08, "side_roles": 0.07}, "high": {"team": 0.5, "side_roles": 0.35}}


def decorate(title: str, levelable: bool, rng: random.Random, variety: str = "normal") -> str:
    """Add the seniority, team, side roles, emoji and typing quirks people put in headlines."""
    # Avoid stacking ranks ("Senior Associate ...", "Lead Team Lead").
    already_ranked = title.split()[0] in SENIORITY or "Lead" in title
    if levelable and not already_ranked and rng.random() < 0.30:
        prefix = rng.choices(list(SENIORITY), weights=list(SENIORITY.values()))[0]
        title = f"{prefix} {title}"
    if levelable and rng.random() < VARIETY[variety]["team"]:
        team = rng.choice([t for t in TEAMS if t not in title])
        title = rng.choice([f"{title}, {team}", f"{title} - {team}", f"{title} ({team})",
                            f"{title} – {team}", f"{title} II", f"{title} III"])
    if rng.random() < VARIETY[variety]["side_roles"]:
        extras = rng.sample(SIDE_ROLES, rng.randint(1, 3))
        title = rng.choice(SEPARATORS).join([title, *extras])
    if rng.random() < 0.03:
        emoji = rng.choice(EMOJI)
        title = f"{emoji} {title}" if rng.random() < 0.5 else f"{title} {emoji}"
    if rng.random() < 0.03:
        title = rng.choice([title.upper(), title.lower(), title.replace(" ", "  ", 1), f"{title} "])
    return title


def pick_position(locale: str, female: bool, rng: random.Random, variety: str = "normal") -> tuple[str, str]:
    """Return (position, title group); local-language titles count as group "local"."""
    if locale in LOCAL_TITLES and rng.random() < P_LOCAL_LANGUAGE_TITLE:
        titles = LOCAL_TITLES[locale]
        title = rng.choices(titles, weights=zipf_weights(len(titles)))[0]
        return decorate(gendered(title, female), False, rng, variety), "local"
    title, group, levelable = rng.choices(_CATALOGUE, weights=_CATALOGUE_WEIGHTS)[0]
    return decorate(title, levelable, rng, variety), group


def profile_url(first: str, last: str, taken: set[str], rng: random.Random) -> str:
    """Default URLs end in a random hex id; some members picked a vanity URL."""
    base = ascii_slug(first, last)
    roll = rng.random()
    if roll < 0.15:
        slug = base.replace("-", "")
    elif roll < 0.22:
        slug = f"{base}-{rng.randint(1, 999)}"
    else:
        slug = f"{base}-{rng.getrandbits(32):08x}"
    while slug in taken:  # vanity URLs are unique on LinkedIn too
        slug = f"{base}-{rng.getrandbits(32):08x}"
    taken.add(slug)
    return f"https://www.linkedin.com/in/{slug}"


def email_address(first: str, last: str, locale: str, rng: random.Random) -> str:
    first_s, last_s = ascii_slug(first, sep=""), ascii_slug(last, sep="")
    local = rng.choice([f"{first_s}.{last_s}", f"{first_s}{last_s}", f"{first_s[0]}.{last_s}",
                        f"{first_s}_{last_s}", f"{first_s}.{last_s}{rng.randint(1, 99)}"])
    return f"{local}@{rng.choice(EMAIL_DOMAINS[locale])}"


def connected_on(rng: random.Random) -> date:
    """Connection date; networks grow over time, so later years are more likely."""
    years = list(range(FIRST_DAY.year, LAST_DAY.year + 1))
    year = rng.choices(years, weights=[(y - FIRST_DAY.year + 1) ** 1.5 for y in years])[0]
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), LAST_DAY)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def generate_rows(n_rows: int, seed: int, variety: str = "normal") -> list[dict[str, str]]:
    """Synthetic connections, newest first like the real export, deterministic per seed."""
    Faker.seed(seed)
    fake = Faker(list(LOCALE_WEIGHTS))
    rng = random.Random(seed)

    # Employers from each country: a per-locale pool sampled with Zipf weights
    # so colleagues share companies, as in a real network.
    pool_size = max(10, n_rows // 12)
    local_companies = {
        loc: [fake[loc].company() for _ in range(pool_size)] for loc in LOCALE_WEIGHTS
    }

    locales, locale_weights = list(LOCALE_WEIGHTS), list(LOCALE_WEIGHTS.values())
    taken_urls: set[str] = set()
    people = []
    for _ in range(n_rows):
        locale = rng.choices(locales, weights=locale_weights)[0]
        female = rng.random() < 0.45
        first = fake[locale].first_name_female() if female else fake[locale].first_name_male()
        last = fake[locale].last_name()
        position, group = pick_position(locale, female, rng, variety)

        if group in ACADEMIC_GROUPS and rng.random() < 0.8:
            company = rng.choice(UNIVERSITIES[locale])
        elif rng.random() < 0.35:
            company = rng.choices(BIG_EMPLOYERS, weights=zipf_weights(len(BIG_EMPLOYERS)))[0]
        else:
            pool = local_companies[locale]
            company = rng.choices(pool, weights=zipf_weights(len(pool)))[0]

        hidden = rng.random() < P_HIDDEN_MEMBER
        people.append((connected_on(rng), {
            # Members who restrict visibility appear without name or profile link.
            "First Name": "" if hidden else first,
            "Last Name": "" if hidden else last,
            "URL": "" if hidden else profile_url(first, last, taken_urls, rng),
            "Email Address": email_address(first, last, locale, rng)
            if not hidden and rng.random() < P_EMAIL else "",
            "Company": "" if rng.random() < P_NO_COMPANY else company,
            "Position": "" if rng.random() < P_NO_POSITION else position,
        }))

    people.sort(key=lambda p: p[0], reverse=True)
    return [{**row, "Connected On": day.strftime("%d %b %Y")} for day, row in people]


def write_export(rows: list[dict[str, str]], path: str | Path, legacy: bool = False) -> None:
    """Write rows in the current export layout, or the pre-2020 one (no notes, no URL)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = LEGACY_HEADER if legacy else HEADER
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if not legacy:
            writer.writerows([["Notes:"], [NOTE], []])
        writer.writerow(header)
        writer.writerows([row[col] for col in header] for row in rows)
        writer.writerow([""] * len(header))  # the export ends with an all-empty row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=600, help="number of connections")
    parser.add_argument("--seed", type=int, default=42, help="random seed")
    parser.add_argument("--out", default="data/example/Connections.csv", help="output CSV path")
    parser.add_argument("--format", choices=["current", "legacy"], default="current",
                        help="current export (with notes and URL) or pre-2020 layout")
    parser.add_argument("--variety", choices=list(VARIETY), default="normal",
                        help="how often titles carry a speciality or side roles (high: mostly unique titles)")
    args = parser.parse_args()
    write_export(generate_rows(args.rows, args.seed, args.variety), args.out, legacy=args.format == "legacy")


if __name__ == "__main__":
    main()
