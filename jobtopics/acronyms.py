"""Job-title acronyms spelled out before a title is embedded.

MiniLM reads "CTO" as a string of letters, far from "Chief Technology Officer": on the bundled example the ten
people titled "CTO" ended grey while their colleagues "Chief Technology Officer" sat with the executives, and
"SVP" or "SDR" failed the English test and borrowed vectors from unrelated titles. Only acronyms that mean one
job wherever a LinkedIn title uses them are here: "MD" (managing director or physician), "PM" (product, project or
program), "CDO" (data or digital), "CPO" (product or people) and "SRE" (a UK research title in the ONS list) are not.
"""

from __future__ import annotations

import re

ACRONYMS = {
    "CEO": "Chief Executive Officer",
    "CTO": "Chief Technology Officer",
    "COO": "Chief Operating Officer",
    "CFO": "Chief Financial Officer",
    "CMO": "Chief Marketing Officer",
    "CIO": "Chief Information Officer",
    "CISO": "Chief Information Security Officer",
    "CHRO": "Chief Human Resources Officer",
    "VP": "Vice President",
    "SVP": "Senior Vice President",
    "EVP": "Executive Vice President",
    "AVP": "Assistant Vice President",
    "SDR": "Sales Development Representative",
    "BDR": "Business Development Representative",
    "HRBP": "Human Resources Business Partner",
}
# Whole words only ("Vice", "CEOs" and "VPN" stay), in any case: titles come as "cto" and "Cto" too.
_ACRONYM = re.compile(r"(?<![\w&-])(" + "|".join(ACRONYMS) + r")(?![\w&-])", re.IGNORECASE)


def spelled_out(role: str) -> str:
    """ "Founder & CTO" -> "Founder & Chief Technology Officer"; a role without a listed acronym as it is."""
    return _ACRONYM.sub(lambda match: ACRONYMS[match.group(1).upper()], role)
