"""The report's headline facts and its plain-language paragraph, computed from the assignments alone."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..names import NO_TITLE, UNCATEGORIZED


@dataclass(frozen=True)
class ReportFacts:
    contacts: int
    with_title: int
    unique_titles: int
    categories: int
    uncategorized_share: float
    top_categories: list[tuple[str, int]]
    joined_share: float = 0.0  # people whose title fitted no topic at first and joined the most similar category
    moved_share: float = 0.0  # people whose title left its topic's category for one that fits it better
    regrouped_share: float = 0.0  # people whose title's topic was held together by rank words and who joined a category
    grey_group_share: float = 0.0  # people whose title fitted no topic and who, with titles like theirs, make a category
    grey_group_categories: tuple[str, ...] = ()  # those categories, largest first


def mark_joined(assignments: pd.DataFrame, fit_labels: pd.DataFrame, titles: pd.DataFrame) -> pd.DataFrame:
    """assignments with `joined` (the person's title fitted no topic and joined a category in the outliers step),
    `regrouped` (its topic was held together by rank words, and it joined a category in the outliers step),
    `moved` (the label step moved the title, on its own, to another category) and `grey_group` (the title fitted no
    topic and makes, with titles like it, a category of its own) columns; all False where the fitted labels do not
    say (a step switched off)."""
    def holding(flag: str) -> pd.Series:
        if flag not in fit_labels:
            return pd.Series(False, index=assignments.index)
        keys = fit_labels.loc[fit_labels[flag].fillna(False).astype(bool), "title_key"]
        return assignments["title"].isin(titles.loc[titles["title_key"].isin(keys), "title"])

    reassigned, dissolved = holding("reassigned"), holding("dissolved")
    return assignments.assign(joined=reassigned & ~dissolved, regrouped=reassigned & dissolved, moved=holding("moved"),
                              grey_group=holding("grey_group"))


def report_facts(assignments: pd.DataFrame, n_unique_titles: int) -> ReportFacts:
    mapped = assignments[assignments["category"] != NO_TITLE]
    counts = mapped["category"].value_counts()
    in_grey_groups = mapped[mapped["grey_group"]] if "grey_group" in mapped else mapped.iloc[:0]
    named = counts.drop(UNCATEGORIZED, errors="ignore")
    return ReportFacts(
        contacts=len(assignments),
        with_title=len(mapped),
        unique_titles=n_unique_titles,
        categories=len(named),
        uncategorized_share=float(counts.get(UNCATEGORIZED, 0)) / len(mapped) if len(mapped) else 0.0,
        top_categories=[(str(name), int(count)) for name, count in named.head(3).items()],
        joined_share=float(mapped["joined"].mean()) if "joined" in mapped and len(mapped) else 0.0,
        moved_share=float(mapped["moved"].mean()) if "moved" in mapped and len(mapped) else 0.0,
        regrouped_share=float(mapped["regrouped"].mean()) if "regrouped" in mapped and len(mapped) else 0.0,
        grey_group_share=len(in_grey_groups) / len(mapped) if len(mapped) else 0.0,
        grey_group_categories=tuple(str(name) for name in in_grey_groups["category"].value_counts().index),
    )


def percent(share: float) -> str:
    """A share as a reader reads it: a few people out of many are "<1%", never "0%", and all but a few are ">99%",
    never "100%"."""
    if 0 < share < 0.005:
        return "<1%"
    return ">99%" if 0.995 <= share < 1 else f"{share:.0%}"


def counted(number: int, singular: str, plural: str) -> str:
    return f"{number:,} {singular if number == 1 else plural}"


def narrative(facts: ReportFacts) -> str:
    """A plain-language paragraph built only from the numbers."""
    if facts.with_title == 0:
        return "None of the contacts in this export lists a job title, so there is nothing to map."
    parts = [f"Of {counted(facts.contacts, 'contact', 'contacts')}, {facts.with_title:,} "
             f"{'lists' if facts.with_title == 1 else 'list'} a job title "
             f"({counted(facts.unique_titles, 'distinct title', 'distinct titles')} after cleaning)."]
    if facts.top_categories:
        shares = [round(100 * count / facts.with_title) for _, count in facts.top_categories]
        leading = [f"{name} ({percent(count / facts.with_title)})" for name, count in facts.top_categories]
        joined = leading[0] if len(leading) == 1 else ", ".join(leading[:-1]) + f" and {leading[-1]}"
        # "Most" only when they hold more than half of the people with a title, as the shares shown add up.
        most = sum(count for _, count in facts.top_categories) > facts.with_title / 2 and sum(shares) > 50
        parts.append(f"Most of them work in {joined}." if most else
                     f"Their largest {'field is' if len(leading) == 1 else 'fields are'} {joined}.")
    parts.append(f"The titles fall into {counted(facts.categories, 'broad category', 'broad categories')}; "
                 f"{percent(facts.uncategorized_share)} could not be placed confidently and are shown as "
                 f"{UNCATEGORIZED}.")
    if facts.joined_share:
        parts.append(f"Another {percent(facts.joined_share)} fitted no topic at first and joined the category most "
                     "similar to their title.")
    if facts.regrouped_share:
        parts.append(f"{percent(facts.regrouped_share)} were first grouped only by a rank word their titles share "
                     "(such as \"Senior\" or \"Lead\") and joined the category most similar to their title instead.")
    if facts.grey_group_share:
        named = facts.grey_group_categories
        which = named[0] if len(named) == 1 else ", ".join(named[:-1]) + f" and {named[-1]}"
        parts.append(f"{percent(facts.grey_group_share)} were left out of every topic at first but are more like one "
                     f"another than like any category, and make categories of their own: {which}.")
    if facts.moved_share:
        parts.append(f"{percent(facts.moved_share)} hold a title that sat closer to another category than to the one "
                     "its topic joined, and were moved there.")
    return " ".join(parts)
