import zipfile

import pandas as pd
import pytest
from conftest import HEADER, PREAMBLE, write_export

from jobtopics.errors import InputError
from jobtopics.ingest import IngestOptions, parse_dates, read_people

LINKEDIN = IngestOptions()
ROWS = [
    "Ada,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,Analytical Engines,Head of Computing,15 Aug 2024",
    'Grace,Hopper,https://www.linkedin.com/in/grace,,US Navy,"Vice President, Engineering",01 Jan 2020',
    ",,,,,,",
]


def test_current_export_keeps_only_safe_columns(tmp_path):
    people = read_people(write_export(tmp_path / "Connections.csv", ROWS), LINKEDIN)
    assert list(people.columns) == ["id", "position", "company", "connected_on"]
    assert people["position"].tolist() == ["Head of Computing", "Vice President, Engineering"]
    assert people["id"].tolist() == ["p000001", "p000002"]
    assert people["connected_on"].tolist() == [pd.Timestamp("2024-08-15"), pd.Timestamp("2020-01-01")]
    text = people.to_csv()
    for secret in ("Ada", "Lovelace", "ada@example.com", "linkedin.com/in"):
        assert secret not in text


def test_legacy_export_without_preamble_or_url(tmp_path):
    rows = ["Ada,Lovelace,ada@example.com,Engines,Head of Computing,15 Aug 2015"]
    path = write_export(tmp_path / "c.csv", rows, preamble="",
                        header="First Name,Last Name,Email Address,Company,Position,Connected On\n")
    assert read_people(path, LINKEDIN)["position"].tolist() == ["Head of Computing"]


def test_bom_crlf_and_cp1252(tmp_path):
    crlf = write_export(tmp_path / "a.csv", ROWS, newline="\r\n")
    bom = tmp_path / "b.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER + ROWS[0] + "\n").encode())
    latin = write_export(tmp_path / "c.csv", ["José,Núñez,,,Café,Diseñador,15 Aug 2024"], encoding="cp1252")
    assert read_people(crlf, LINKEDIN)["position"].tolist()[1] == "Vice President, Engineering"
    assert read_people(bom, LINKEDIN)["position"].tolist() == ["Head of Computing"]
    assert read_people(latin, LINKEDIN)["position"].tolist() == ["Diseñador"]


def test_utf16_file(tmp_path):
    path = write_export(tmp_path / "c.csv", ROWS[:1], encoding="utf-16")
    assert read_people(path, LINKEDIN)["company"].tolist() == ["Analytical Engines"]


def test_zip_export_finds_connections_csv(tmp_path):
    csv_path = write_export(tmp_path / "Connections.csv", ROWS)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("Profile.csv", "First Name\nAda\n")
        handle.write(csv_path, "Basic_LinkedInDataExport/Connections.csv")
    assert len(read_people(archive, LINKEDIN)) == 2


def test_zip_without_connections_is_a_clear_error(tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("Profile.csv", "x\n")
    with pytest.raises(InputError, match="no Connections.csv"):
        read_people(archive, LINKEDIN)


def test_zip_bomb_is_bounded(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("Connections.csv", PREAMBLE + HEADER + "a,b,,,c,d,15 Aug 2024\n" * 50_000)
    with pytest.raises(InputError, match="limit"):
        read_people(archive, IngestOptions(max_bytes=100_000))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("hello world\nthis is not an export\n", "no LinkedIn header"),
        ("", "no LinkedIn header"),
        (PREAMBLE + HEADER, "no data rows"),
        ("First Name,Last Name,Company,Connected On\nA,B,C,15 Aug 2024\n", "missing column"),
    ],
)
def test_bad_linkedin_files(tmp_path, content, message):
    path = tmp_path / "Connections.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=message) as error:
        read_people(path, LINKEDIN)
    assert str(path) in str(error.value)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_people(tmp_path / "nope.csv", LINKEDIN)


def test_generic_csv_tsv_parquet(tmp_path):
    table = pd.DataFrame({"Job Title": ["Nurse", "Teacher"], "Dept": ["Ward 1", "School"], "Name": ["X", "Y"]})
    options = {"title_column": "Job Title", "company_column": "Dept"}
    table.to_csv(tmp_path / "t.csv", index=False)
    table.to_csv(tmp_path / "t.tsv", index=False, sep="\t")
    table.to_parquet(tmp_path / "t.parquet")
    for fmt in ("csv", "tsv", "parquet"):
        people = read_people(tmp_path / f"t.{fmt}", IngestOptions(input_format=fmt, **options))
        assert people["position"].tolist() == ["Nurse", "Teacher"]
        assert people["company"].tolist() == ["Ward 1", "School"]
        assert "Name" not in people.columns


def test_generic_table_needs_its_title_column(tmp_path):
    pd.DataFrame({"Role": ["Nurse"]}).to_csv(tmp_path / "t.csv", index=False)
    with pytest.raises(InputError, match="Job Title"):
        read_people(tmp_path / "t.csv", IngestOptions(input_format="csv", title_column="Job Title"))
    with pytest.raises(InputError, match="title_column"):
        read_people(tmp_path / "t.csv", IngestOptions(input_format="csv"))


def test_dates_are_parsed_leniently():
    parsed = parse_dates(pd.Series(["15 Aug 2024", "29-Mar-21", "2023-05-01", "", "someday"]))
    assert parsed.iloc[0] == pd.Timestamp("2024-08-15")
    assert parsed.iloc[1] == pd.Timestamp("2021-03-29")
    assert parsed.iloc[2] == pd.Timestamp("2023-05-01")
    assert parsed.iloc[3:].isna().all()


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ("Job Title\nIngénieur\n".encode("utf-8"), "read as UTF-8"),
        (b"\xef\xbb\xbf" + "Job Title\nIngénieur\n".encode("utf-8"), "read as UTF-8 (byte-order mark)"),
        ("\ufeffJob Title\nIngénieur\n".encode("utf-16"), "read as UTF-16 (byte-order mark)"),
        ("Job Title\nIngénieur\n".encode("cp1252"), "is not valid UTF-8: read as cp1252 (Windows Western European)"),
    ],
)
def test_generic_csv_encoding_is_detected_and_named_in_the_log(tmp_path, caplog, data, named):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with caplog.at_level("INFO", logger="jobtopics.ingest"):
        people = read_people(path, IngestOptions(input_format="csv", title_column="Job Title"))
    assert people["position"].tolist() == ["Ingénieur"]
    assert [record.getMessage() for record in caplog.records] == [f"ingest: t.csv {named}"]


@pytest.mark.parametrize(
    ("dates", "expected", "decision"),
    [
        (["03/04/2021", "03/29/2021"], ["2021-03-04", "2021-03-29"],
         "month first: 03/29/2021 has a day above 12 second (US order)"),
        (["03/04/2021", "29/03/2021"], ["2021-04-03", "2021-03-29"], "day first: 29/03/2021 has a day above 12 first"),
        (["03/04/2021"], ["2021-04-03"], "day first: no date settles it"),
        (["31/01/2021", "01/31/2021"], ["2021-01-31", None], "day first: the file mixes orders"),
    ],
)
def test_all_number_dates_follow_the_order_the_file_uses_and_the_log_says_which(caplog, dates, expected, decision):
    with caplog.at_level("INFO", logger="jobtopics.ingest"):
        parsed = parse_dates(pd.Series(dates))
    assert [None if pd.isna(day) else day.strftime("%Y-%m-%d") for day in parsed] == expected
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1 and messages[0].startswith(f"ingest: all-number dates read {decision}"), messages


def test_dates_without_all_number_ones_log_no_order_decision(caplog):
    with caplog.at_level("INFO", logger="jobtopics.ingest"):
        parse_dates(pd.Series(["15 Aug 2024", "2023-05-01"]))
    assert caplog.records == []


@pytest.mark.reliability("privacy", "e-mail and web addresses typed into a headline or company removed at ingest")
def test_contact_details_written_into_a_headline_or_company_are_removed(tmp_path, caplog):
    rows = [
        "Ada,Lovelace,https://www.linkedin.com/in/ada,,Engines (www.engines.example),Recruiter - ada.l@example.com,"
        "15 Aug 2024",
        "Grace,Hopper,https://www.linkedin.com/in/grace,,Booking.com,Career Coach (linkedin.com/in/grace-coach),"
        "01 Jan 2020",
        "Alan,Turing,https://www.linkedin.com/in/alan,,Acme\u202e,Founder https://alan.example/about,01 Jan 2021",
    ]
    with caplog.at_level("INFO", logger="jobtopics.ingest"):
        people = read_people(write_export(tmp_path / "Connections.csv", rows), LINKEDIN)
    assert people["position"].tolist() == ["Recruiter", "Career Coach", "Founder"]
    # A bare domain is a company name; a right-to-left override would make the report cell read backwards.
    assert people["company"].tolist() == ["Engines", "Booking.com", "Acme"]
    assert "from 3 position value(s)" in caplog.text and "from 1 company value(s)" in caplog.text
    assert "example" not in caplog.text  # counted, never quoted


@pytest.mark.reliability("bad input", "LinkedIn row shifted by an unquoted comma, extra cells empty")
def test_a_row_shifted_by_an_unquoted_comma_is_refused_though_its_extra_cells_are_empty(tmp_path):
    # "Smith, Jr." unquoted and an empty date: the cell count alone cannot tell, the profile URL can.
    rows = [ROWS[0], "John,Smith, Jr.,https://www.linkedin.com/in/jsmith,john.smith@example.com,Acme,Engineer,"]
    with pytest.raises(InputError) as error:
        read_people(write_export(tmp_path / "Connections.csv", rows), LINKEDIN)
    message = str(error.value)
    assert "line 6" in message and "shifted" in message and "\n" not in message
    assert "jsmith" not in message and "john.smith" not in message


@pytest.mark.reliability("privacy", "generic table without a header line: the error quotes no contact's details")
def test_a_table_without_a_header_line_is_named_without_echoing_its_first_record(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text("Jane Doe,jane.doe@example.com,https://www.linkedin.com/in/janedoe,Data Engineer\n"
                    "John Roe,john@example.com,https://www.linkedin.com/in/johnroe,Nurse\n")
    with pytest.raises(InputError) as error:
        read_people(path, IngestOptions(input_format="csv", title_column="Job Title"))
    message = str(error.value)
    assert "Job Title" in message and "not a header line" in message
    assert "jane" not in message.casefold() and "linkedin" not in message


@pytest.mark.parametrize(("written", "kept"), [
    ("Engineer (Backend) jane@example.com", "Engineer (Backend)"),  # brackets of the title stay whole
    ("Sr Dev [Remote] - www.me.dev", "Sr Dev [Remote]"),
    ("Founder of www.acme.io, Inc.", "Founder of, Inc."),  # the address ends before its comma
    ("Data Scientist | www.x.io | he/him", "Data Scientist | he/him"),
    ("Coach github.com/jdoe", "Coach"), ("Hiring: acme.com/jobs", "Hiring"),
    ("JaneDoe@gmail.com", ""), ("Jane@gmail.com", ""),
    ("Data Scientist@Amazon.com", "Data Scientist@Amazon.com"),  # a role at a company, not an address
    ("SWE@Booking.com", "SWE@Booking.com"), ("Node.js/React Developer", "Node.js/React Developer"),
    ("Booking.com", "Booking.com"), ("Head of\nComputing", "Head of\nComputing"),
])
def test_only_contact_details_leave_a_headline(written, kept):
    from jobtopics.ingest import without_contact_details

    assert without_contact_details(written) == kept


def test_a_value_that_only_lost_its_spaces_is_not_counted_as_scrubbed(tmp_path, caplog):
    path = tmp_path / "people.csv"
    path.write_text("Job Title\n  Engineer \n")
    with caplog.at_level("INFO", logger="jobtopics.ingest"):
        assert read_people(path, IngestOptions(input_format="csv", title_column="Job Title"))["position"].tolist() \
            == ["Engineer"]
    assert "removed e-mail or web addresses" not in caplog.text
