"""The narrative rewrite keeps the facts: same numbers, same category names, or the facts paragraph stays."""

from __future__ import annotations

from jobtopics.llm.endpoint import open_endpoint
from jobtopics.narrative import is_faithful, numbers, polish

FACTS = ("Of 1,200 contacts, 1,100 list a job title (800 distinct titles after cleaning). Most of them work in "
         "Data Science (31%) and Software Engineering (20%).")
NAMES = ["Data Science", "Software Engineering"]


def test_numbers_are_read_with_separators_and_percentages():
    assert numbers(FACTS) == {"1,200", "1,100", "800", "31%", "20%"}


def test_a_rewrite_keeping_every_number_and_name_is_faithful():
    rewrite = ("I have 1,200 contacts; 1,100 of them list a job title, 800 distinct ones. Data Science (31%) "
               "and Software Engineering (20%) lead.")
    assert is_faithful(FACTS, rewrite, NAMES)


def test_a_changed_dropped_or_invented_number_or_a_lost_name_is_not():
    assert not is_faithful(FACTS, FACTS.replace("31%", "35%"), NAMES)
    assert not is_faithful(FACTS, FACTS.replace(" (800 distinct titles after cleaning)", ""), NAMES)
    assert not is_faithful(FACTS, FACTS + " Half of them joined in 2021.", NAMES)
    assert not is_faithful(FACTS, FACTS.replace("Data Science", "Analytics"), NAMES)


def test_a_rewrite_that_swaps_shares_or_adds_a_claim_is_not():
    swapped = FACTS.replace("Data Science (31%) and Software Engineering (20%)",
                            "Software Engineering (31%) and Data Science (20%)")
    assert not is_faithful(FACTS, swapped, NAMES)
    assert is_faithful(FACTS, FACTS.replace("Data Science (31%)", "Data Science, at 31%,"), NAMES)
    assert not is_faithful(FACTS, FACTS + " Three of them are CEOs.", NAMES)
    assert not is_faithful(FACTS.replace("Most of them work in", "Their largest fields are"),
                           FACTS, NAMES)  # "most" is a claim the facts did not make
    assert not is_faithful(FACTS, FACTS + " They are a wonderful, curious and generous crowd of people whom I met "
                                          "at conferences, meetups and on long trips, and they are unhappy at work "
                                          "and underpaid.", NAMES)
    # The facts' own "most similar" is no licence for "Most of them".
    joined = ("Of 1,000 contacts, 1,000 list a job title. Their largest fields are A (33%), B (8%) and C (8%). "
              "Another 12% fitted no topic at first and joined the category most similar to their title.")
    assert is_faithful(joined, joined, ["A", "B", "C"])
    assert not is_faithful(joined, joined.replace("Their largest fields are", "Most of them work in"), ["A", "B", "C"])
    # A name inside a longer one keeps its own share.
    nested = "Software Engineering (30%), Engineering (20%) and Design (5%)."
    names = ["Software Engineering", "Engineering", "Design"]
    assert is_faithful(nested, nested, names)
    assert not is_faithful(nested, "Software Engineering (30%), Engineering (5%) and Design (20%).", names)
    small = "Of 300 contacts, 298 list a job title. <1% could not be placed."
    assert numbers(small) == {"300", "298", "<1%"}
    assert not is_faithful(small, small.replace("<1%", "1%"), [])


def test_polish_keeps_a_faithful_rewrite_and_rejects_an_unfaithful_one(fake_llm, llm_config):
    with open_endpoint(llm_config(fake_llm.base_url), "/dev/null") as endpoint:
        polished, stats = polish(FACTS, NAMES, endpoint, None)
    assert polished == f"In short: {FACTS}" and stats.requests == 1
    fake_llm.responder = lambda body: '{"paragraph": "Most of my 5,000 contacts are in Data Science."}'
    with open_endpoint(llm_config(fake_llm.base_url, cache_dir=llm_config()["cache_dir"] + "-2"), "/dev/null") as e:
        assert polish(FACTS, NAMES, e, None)[0] is None
    sent = fake_llm.chat_requests[-1]["messages"][-1]["content"]
    assert "Data Science" in sent and "contacts" in sent
