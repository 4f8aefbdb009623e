"""Is a job title written in English? It decides which titles an English-only model may embed as they are.

Word frequencies come from `wordfreq` (its lists ship in the wheel). Each word scores how much more
frequent it is in English than in the most frequent of common European languages (Zipf units:
log10, capped at ±3); a title is English when its words average above -1 (ten times rarer) and at
least half of them are in some list. Words both languages use ("Manager", "Software", "Director")
and the odd shared word in an English title ("Care" is frequent in Romanian) do not tip it;
"Analista de datos", "Ingénieure logiciel", "Senior Softwareentwickler" score far below. Acronyms and
words of one or two letters ("AI", "UX", "de") are left out; a title in another script is not English.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Languages of the networks this tool meets most; wordfreq has them all.
OTHER_LANGUAGES = ("de", "es", "fr", "it", "nl", "pl", "pt", "sv", "cs", "da", "nb", "fi", "ro", "hu", "tr", "ca")
WORD_SCORE_CAP = 3.0
MIN_MEAN_SCORE = -1.0
MIN_KNOWN_SHARE = 0.5
WORD = re.compile(r"[^\W\d_]+")
# English's full list (rare occupations such as "Actuaries" are English too); the other languages' "small" lists
# (words at least once per million), which load in 0.2 s where their large ones took 2.7 s and 500 MB on every
# step that embeds: a word that rare in another language seldom decides a title.
ENGLISH_WORDLIST, OTHER_WORDLIST = "best", "small"


# A feminine form is often too rare for the small lists while its masculine form is in them: "desarrolladora"
# (desarrollador), "sviluppatrice" (sviluppatore), "développeuse" (développeur), "Projektleiterin", "programistka"
# (programista). Without this the word went unread and "Desarrolladora de software" counted as English.
FEMININE_ENDINGS = (("trice", ("tore", "teur")), ("euse", ("eur",)), ("eira", ("eiro",)), ("ora", ("or",)),
                    ("ka", ("a",)), ("in", ("",)), ("a", ("o", "")))


@functools.lru_cache(maxsize=100_000)
def _frequencies(word: str) -> tuple[float, float]:
    """Zipf frequency in English and the highest among OTHER_LANGUAGES; a word no list knows is read as its
    masculine form when that one is in another language's list."""
    english, other = _listed(word)
    if english or other:
        return english, other
    for ending, replacements in FEMININE_ENDINGS:
        if word.endswith(ending) and len(word) > len(ending) + 3:
            for replacement in replacements:
                base_english, base_other = _listed(word[: -len(ending)] + replacement)
                if base_other > base_english:
                    return base_english, base_other
    return english, other


def _listed(word: str) -> tuple[float, float]:
    from wordfreq import zipf_frequency

    return (zipf_frequency(word, "en", wordlist=ENGLISH_WORDLIST),
            max(zipf_frequency(word, language, wordlist=OTHER_WORDLIST) for language in OTHER_LANGUAGES))


def _latin(word: str) -> bool:
    return all(unicodedata.name(char, "").startswith("LATIN") for char in word)


@functools.lru_cache(maxsize=100_000)  # the label step asks again for the same English titles with every name
def is_english(text: str) -> bool:
    if text.isupper():  # "ANALISTA DE DATOS": read as written in lower case
        text = text.lower()
    words = WORD.findall(text)
    if not all(map(_latin, words)):  # "经理", "Менеджер"
        return False
    words = [word.casefold() for word in words if len(word) > 2 and not (word.isupper() and len(word) <= 4)]
    if not words:
        return True
    known = [(english, other) for english, other in map(_frequencies, words) if english > 0 or other > 0]
    if len(known) < MIN_KNOWN_SHARE * len(words):
        return False
    scores = [min(max(english - other, -WORD_SCORE_CAP), WORD_SCORE_CAP) for english, other in known]
    return sum(scores) / len(scores) > MIN_MEAN_SCORE
