import pandas as pd
import pytest

from jobtopics.titles import MAX_TITLE_CHARS, build_titles, clean_title, title_key


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Senior   Data  Scientist ", "Senior Data Scientist"),
        ("Data Scientist | Speaker | Mentor", "Data Scientist"),
        ("🚀 Founder & CEO", "Founder & CEO"),
        ("Data Engineer ☁️", "Data Engineer"),
        ("Software Engineer at Google", "Software Engineer"),
        ("Vice President, Engineering", "Vice President, Engineering"),
        ("Ingénieure logiciel", "Ingénieure logiciel"),
        ("软件工程师", "软件工程师"),
        ("مهندس برمجيات", "مهندس برمجيات"),
        ("🚀🚀", ""),
        ("   ", ""),
        ("---", ""),
        (None, ""),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


def test_long_titles_are_capped():
    assert len(clean_title("word " * 2000)) <= MAX_TITLE_CHARS


def test_key_ignores_case_accents_and_spacing():
    assert title_key("Ingénieur  Logiciel") == title_key("ingenieur logiciel")


def test_build_titles_dedupes_and_maps_back():
    people = pd.DataFrame({
        "id": ["p1", "p2", "p3", "p4", "p5"],
        "position": ["Data Scientist", "data scientist", "DATA SCIENTIST | Mentor", "", "Nurse"],
    })
    titles, person_titles = build_titles(people)
    assert titles.to_dict("records") == [
        {"title_key": "data scientist", "title": "Data Scientist", "n_people": 3},
        {"title_key": "nurse", "title": "Nurse", "n_people": 1},
    ]
    assert person_titles["title_key"].tolist() == ["data scientist"] * 3 + ["", "nurse"]


def test_most_common_spelling_wins_and_order_is_stable():
    people = pd.DataFrame({"id": list("abcd"), "position": ["nurse", "Nurse", "Nurse", "Zoologist"]})
    titles, _ = build_titles(people)
    shuffled, _ = build_titles(people.iloc[::-1].reset_index(drop=True))
    assert titles["title"].tolist() == ["Nurse", "Zoologist"]
    pd.testing.assert_frame_equal(titles, shuffled)


def test_no_titles_at_all():
    titles, person_titles = build_titles(pd.DataFrame({"id": ["a"], "position": [""]}))
    assert titles.empty
    assert person_titles["title_key"].tolist() == [""]
