"""The bundled example, run with the shipped config (offline): categories follow what people do, not their
language, and their names say what the members do. Truth: the generator's own title groups
(data/make_example.py via data/example_truth.py) and the committed tables under tests/data/.

Where the shipped default does not reach an issue's target yet, the test asserts a floor just under what it
measures (so a regression fails) and reports the gap as an expected failure carrying the measured value; it
passes outright the day the target is met.
"""

from __future__ import annotations

import re
import sys

import pandas as pd
import pytest

from conftest import ARTIFACTS
from workflow_run import EXAMPLE, ROOT, run_workflow

sys.path.insert(0, str(ROOT / "data"))
from example_truth import category_fit, title_group  # noqa: E402

from jobtopics.acronyms import ACRONYMS  # noqa: E402
from jobtopics.naming import name_key  # noqa: E402

LOCAL_TITLES = ROOT / "tests" / "data" / "local_title_groups.csv"
MAX_PEOPLE_SHARE = 0.20
GREY = {"Uncategorized", "No job title"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    """The whole example through the default config; returns the run folder."""
    workdir = tmp_path_factory.mktemp("example")
    done = run_workflow(workdir, {"input": str(EXAMPLE), "llm": {"cache_dir": str(workdir / "cache")}})
    assert done.returncode == 0, done.stderr[-3000:]
    return workdir


@pytest.fixture(scope="module")
def assignments(example_run):
    return pd.read_csv(example_run / "results" / "assignments.csv")


MEASURED: dict[str, tuple[str, str]] = {}
MEASUREMENTS = 5  # criteria the tests below record


@pytest.fixture(scope="module", autouse=True)
def measurements():
    """What this module measured on the example, written to test-artifacts/example-categories.md for the README
    (`make reliability-doc` copies it to docs/): the numbers come from the run, never typed."""
    MEASURED.clear()
    written = ARTIFACTS / "example-categories.md"
    written.unlink(missing_ok=True)  # a table from an earlier run must not pass for this one's
    yield
    if len(MEASURED) < MEASUREMENTS:
        return  # part of the module ran (-k, -x): no table rather than a partial one
    lines = ["# The bundled example against the categories and names issues' targets", "",
             "Written by `tests/test_example_categories.py` (the shipped config, offline); do not edit by hand.", "",
             "| criterion | measured | target |", "|---|---|---|"]
    lines += [f"| {criterion} | {value} | {target} |" for criterion, (value, target) in MEASURED.items()]
    ARTIFACTS.mkdir(exist_ok=True)
    written.write_text("\n".join(lines) + "\n", encoding="utf-8")


def local_forms() -> pd.DataFrame:
    """One row per local-language title form ("Softwareentwickler / Softwareentwicklerin" gives two)."""
    table = pd.read_csv(LOCAL_TITLES)
    rows = [(form.strip().casefold(), english.casefold()) for title, english in
            zip(table["local_title"], table["english_title"]) for form in title.split(" / ")]
    return pd.DataFrame(rows, columns=["local", "english"]).drop_duplicates("local")


def majority_category(assignments: pd.DataFrame) -> pd.Series:
    """title (casefolded) -> the category most of its holders are in."""
    holders = assignments.dropna(subset=["title"]).assign(key=lambda frame: frame["title"].str.casefold())
    return holders.groupby("key")["category"].agg(lambda categories: categories.value_counts().index[0])


def test_local_language_titles_share_the_category_of_their_english_equivalent(assignments):
    category = majority_category(assignments)
    pairs = local_forms()
    pairs = pairs[pairs["local"].isin(category.index) & pairs["english"].isin(category.index)]
    assert len(pairs) >= 20, "the example should hold many local titles with English equivalents"
    same = pairs["local"].map(category) == pairs["english"].map(category)
    together = same.mean()
    MEASURED["local-language titles in their English equivalent's category"] = (
        f"{together:.0%} ({int(same.sum())} of {len(pairs)})", ">= 80 %")
    assert together >= 0.7  # floor: measured 79 % when this test was written
    if together < 0.8:
        pytest.xfail(f"target 80 % not reached: {together:.0%} of {len(pairs)} local titles share the category "
                     "of their English equivalent (docs/benchmarks.md, Languages)")
    assert together >= 0.8


def test_an_acronym_shares_the_category_of_its_spelled_out_title(assignments):
    """ "CTO" and "Chief Technology Officer" are one job: before acronyms were spelled out, the example's ten CTOs
    were grey while its Chief Technology Officer sat with the executives."""
    category = majority_category(assignments)
    pairs = [(acronym.casefold(), spelled.casefold()) for acronym, spelled in ACRONYMS.items()
             if acronym.casefold() in category.index and spelled.casefold() in category.index]
    assert len(pairs) >= 3, pairs  # CEO, CTO, COO
    assert {acronym: category[acronym] for acronym, _ in pairs} == {acronym: category[spelled]
                                                                    for acronym, spelled in pairs}


def test_no_category_holds_more_than_a_fifth_of_the_people(assignments):
    people = assignments[assignments["category"] != "No job title"]
    shares = people["category"].value_counts(normalize=True).drop("Uncategorized", errors="ignore")
    MEASURED["largest category, share of people with a title"] = (f"{shares.max():.0%} ({shares.idxmax()})",
                                                                    "<= 20 %")
    assert shares.max() <= MAX_PEOPLE_SHARE, shares.head()


def test_no_category_is_defined_by_language(assignments):
    people = assignments[assignments["category"] != "No job title"]
    local = set(local_forms()["local"])
    titles = people.drop_duplicates("title").assign(is_local=lambda frame: frame["title"].str.casefold().isin(local))
    local_share = titles.groupby("category")["is_local"].mean().drop("Uncategorized", errors="ignore")
    worst = local_share.idxmax()
    # What defines that category: one occupation written in several languages holds mostly local titles too;
    # the generator group its people come from tells the two apart.
    groups = people.loc[people["category"] == worst, "position"].map(title_group).value_counts(normalize=True)
    MEASURED["most local-language category, share of its distinct titles"] = (
        f"{local_share.max():.0%} ({worst}; {groups.iloc[0]:.0%} of its people from one generator group, "
        f"{groups.index[0]})", "<= 50 %")
    assert local_share.max() <= 0.8, local_share.sort_values().tail()  # floor: measured 58-70 %
    if local_share.max() > 0.5:
        english = titles[(titles["category"] == worst) & ~titles["is_local"]]["title"].tolist()
        pytest.xfail(f"target: no category more than half local-language titles; {worst!r} is "
                     f"{local_share.max():.0%} local, with English titles {english}")


def test_categories_follow_the_generators_groups(assignments):
    """Chance-corrected agreement between the categories and the group each person's title was drawn from."""
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    people = assignments.assign(group=assignments["position"].map(title_group)).dropna(subset=["group"])
    ami = adjusted_mutual_info_score(people["group"], people["category"])
    ari = adjusted_rand_score(people["group"], people["category"])
    MEASURED["categories against the generator's groups, people (Uncategorized one cluster)"] = (
        f"AMI {ami:.3f}, ARI {ari:.3f} ({len(people)} people, {people['group'].nunique()} groups)", "higher is better")
    assert ami >= 0.5, ami  # floor: measured 0.60


def test_two_levels_with_distinct_names(assignments):
    named = assignments[~assignments["category"].isin(GREY)]
    categories = named["category"].unique().tolist()
    keys = [name_key(name) for name in categories]
    assert len(set(keys)) == len(keys), categories  # case- and plural-insensitive
    assert not any(re.search(r" \d+$| \(.+\)$", name) for name in categories), categories
    topics = named.drop_duplicates("topic")
    assert topics["topic"].nunique() > len(categories)  # the fine level really is finer
    assert (topics.groupby("category")["topic_label"].nunique() == topics.groupby("category").size()).all()


def test_category_names_fit_the_group_most_members_come_from(assignments):
    fit = category_fit(assignments["position"].fillna(""), assignments["category"], GREY)
    share = fit["fits"].mean()
    misses = ", ".join(f"{row.category} ({row.majority_group})" for row in fit[~fit["fits"]].itertuples())
    MEASURED["category names that fit the group most members come from"] = (
        f"{share:.0%} ({int(fit['fits'].sum())} of {len(fit)}; misses: {misses or 'none'})", ">= 80 %")
    assert share >= 0.5  # floor: measured 58 % when this test was written
    if share < 0.8:
        pytest.xfail(f"target 80 % not reached: {share:.0%} of {len(fit)} category names fit their members' "
                     f"group; misses: {misses}")
    assert share >= 0.8


def test_the_narrative_names_the_largest_fields(example_run, assignments):
    html = (example_run / "results" / "report" / "report.html").read_text(encoding="utf-8")
    sentence = re.search(r"(?:Most of them work in|Their largest fields? (?:is|are)) ([^.]+)\.", html)
    assert sentence, "the narrative has no sentence on the largest categories"
    people = assignments[~assignments["category"].isin(GREY)]["category"].value_counts()
    for name in people.index[:3]:
        assert name in sentence.group(1).replace("&amp;", "&")
