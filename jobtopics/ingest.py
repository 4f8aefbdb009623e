"""Read a LinkedIn connections export or a generic job-title table.

Privacy: names, e-mail addresses and profile URLs are never copied out of the
raw rows; the returned table holds only an opaque row id, the position, the
company and the connection date. E-mail and web addresses people wrote into a
headline or company ("Recruiter | jane@x.com") are removed from those too.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import InputError

log = logging.getLogger(__name__)
PEOPLE_COLUMNS = ["id", "position", "company", "connected_on"]
LINKEDIN_HEADER_MARK = "first name"
LINKEDIN_REQUIRED = ["First Name", "Last Name", "Company", "Position", "Connected On"]
CONNECTIONS_MEMBER = "connections.csv"
# How far into a file the header may sit: current exports have a 3-line preamble.
HEADER_SCAN_LINES = 20
# Contact details inside free text: e-mail addresses, and web addresses with a scheme, "www." or a path after a
# common top-level domain ("github.com/jdoe", "t.me/jdoe"). A bare domain stays: "Booking.com" is a company, and
# "Node.js/React" is no address. An address ends before the punctuation that follows it ("www.acme.io, Inc.").
EMAIL = re.compile(r"(?P<local>[\w.+-]+)@(?P<domain>[\w-]+(?:\.[\w-]+)+)")
_WEBMAIL = re.compile(r"(?:gmail|googlemail|outlook|hotmail|live|yahoo|icloud|me|proton|protonmail|gmx|web|aol|mail|"
                      r"yandex|zoho|seznam|orange|free|t-online|wp|o2|onet|interia|libero|qq|163)\.", re.IGNORECASE)
_TOP_LEVEL = (r"(?:com|org|net|io|dev|me|co|ai|app|info|biz|edu|gov|eu|uk|de|fr|nl|es|it|pl|se|ch|at|be|cz|ca|us|in|"
              r"br|tv|ly|gg|xyz|tech|page|link)")
WEB_ADDRESS = re.compile(r"(?:https?://|www\.|\b(?:[\w-]+\.)+" + _TOP_LEVEL + r"/)[^\s\"'<>()\[\]]*(?<![.,;:!?])",
                         re.IGNORECASE)
_EDGE_SEPARATORS = " -–—|,;:/"
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|<\s*>")
_REPEATED_SEPARATORS = re.compile(r"(\s*[|•·,;/]\s*)(?:[|•·,;/]\s*)+")


@dataclass(frozen=True)
class IngestOptions:
    input_format: str = "linkedin"  # linkedin | csv | tsv | parquet
    title_column: str = ""
    company_column: str = ""
    date_column: str = ""
    max_bytes: int = 200 * 1024 * 1024


def read_people(path: str | Path, options: IngestOptions) -> pd.DataFrame:
    """Read any supported input into the people table (id, position, company, connected_on)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: input file not found")
    if options.input_format == "linkedin":
        raw = _read_linkedin_bytes(path, options.max_bytes)
        return _people_from_linkedin(_decode(raw, path), path)
    if path.stat().st_size > options.max_bytes:
        raise InputError(f"{path}: file is larger than the configured limit of {options.max_bytes} bytes")
    return _people_from_table(path, options)


def _read_linkedin_bytes(path: Path, max_bytes: int) -> bytes:
    if zipfile.is_zipfile(path):
        return _connections_from_zip(path, max_bytes)
    if path.stat().st_size > max_bytes:
        raise InputError(f"{path}: file is larger than the configured limit of {max_bytes} bytes")
    return path.read_bytes()


def _connections_from_zip(path: Path, max_bytes: int) -> bytes:
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if Path(m.filename).name.lower() == CONNECTIONS_MEMBER]
            if not members:
                raise InputError(f"{path}: the zip archive has no Connections.csv")
            member = members[0]
            if member.flag_bits & 0x1:
                raise InputError(f"{path}: {member.filename} is encrypted; unzip it, or zip it without a password")
            too_big = f"{path}: {member.filename} unpacks to more than the configured limit of {max_bytes} bytes"
            # The declared size can lie (zip bomb), so read at most max_bytes + 1 and check.
            if member.file_size > max_bytes:
                raise InputError(too_big)
            with archive.open(member) as handle:
                data = handle.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(too_big)
            return data
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as error:
        # Truncated or corrupt archives, bad CRCs, unsupported compression methods.
        raise InputError(f"{path}: cannot unpack the zip archive: {error}") from None


def _decode(raw: bytes, path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else cp1252; the choice is logged."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(
                f"{path}: starts with a UTF-16 byte-order mark but is not valid UTF-16 text "
                f"({error.reason} at byte {error.start})"
            ) from None
        log.info("ingest: %s read as UTF-16 (byte-order mark)", path.name)
        return text
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: binary data, not a CSV text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows re-saves exports as cp1252; every byte decodes, accents survive.
        log.info("ingest: %s is not valid UTF-8: read as cp1252 (Windows Western European)", path.name)
        return raw.decode("cp1252", errors="replace")
    log.info("ingest: %s read as UTF-8%s", path.name, " (byte-order mark)" if raw.startswith(b"\xef\xbb\xbf") else "")
    return text


def _is_linkedin_header(line: str) -> bool:
    """A CSV line with a 'First Name' cell: quoted or not, in any column (re-saved exports reorder columns)."""
    try:
        cells = next(csv.reader([line.lstrip("\ufeff")]), [])
    except csv.Error:
        return False
    return any(cell.strip().lower() == LINKEDIN_HEADER_MARK for cell in cells)


def _people_from_linkedin(text: str, path: Path) -> pd.DataFrame:
    lines = text.splitlines(keepends=True)
    header_index = next((i for i, line in enumerate(lines[:HEADER_SCAN_LINES]) if _is_linkedin_header(line)), None)
    if header_index is None:
        raise InputError(
            f"{path}: no LinkedIn header found (expected a line with a 'First Name' column in the first "
            f"{HEADER_SCAN_LINES} lines); for other tables set input_format: csv and title_column"
        )
    reader = csv.reader(io.StringIO("".join(lines[header_index:]), newline=""), strict=True)
    lines_read = 0  # by the reader: the header and the records so far
    try:
        # Re-saved exports may change the header's case ("first name,position"): match it case-insensitively.
        canonical = {name.casefold(): name for name in LINKEDIN_REQUIRED}
        header = [canonical.get(name.strip().casefold(), name.strip()) for name in next(reader)]
        lines_read = reader.line_num
        missing = [name for name in LINKEDIN_REQUIRED if name not in header]
        if missing:
            raise InputError(f"{path}: LinkedIn export is missing column(s) {', '.join(missing)}")
        wanted = {name: header.index(name) for name in ("Company", "Position", "Connected On")}
        url_column = header.index("URL") if "URL" in header else None
        records = []
        for row in reader:
            file_row = header_index + lines_read + 1  # the file line this record starts on
            lines_read = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank and trailing ",,,,,," rows
            if any(cell.strip() for cell in row[len(header):]):
                # Columns would be shifted (an unquoted comma): the position read would be wrong.
                raise InputError(
                    f"{path}: line {file_row} has {len(row)} fields but the header has {len(header)} "
                    f"(quote fields that contain commas)"
                )
            if len(row) < len(header):
                row = row + [""] * (len(header) - len(row))
            if url_column is not None and _profile_url_moved(row, url_column):
                # Empty trailing cells hide the shift from the count above; the profile URL gives it away.
                raise InputError(
                    f"{path}: line {file_row}: the profile URL is not in the URL column, so the columns are "
                    f"shifted (quote fields that contain commas)"
                )
            records.append(
                (
                    f"p{len(records) + 1:06d}",
                    row[wanted["Position"]],
                    row[wanted["Company"]],
                    row[wanted["Connected On"]],
                    file_row,
                )
            )
    except csv.Error as error:
        raise InputError(
            f"{path}: malformed CSV in the record starting at line {header_index + lines_read + 1}: {error}"
        ) from None
    frame = pd.DataFrame(records, columns=["id", "position", "company", "connected_on_raw", "file_row"])
    return _finish(frame, path)


def _people_from_table(path: Path, options: IngestOptions) -> pd.DataFrame:
    if not options.title_column:
        raise InputError(f"config key title_column must name the job-title column of {path}")
    wanted = [c for c in (options.title_column, options.company_column, options.date_column) if c]
    try:
        if options.input_format == "parquet":
            table = pd.read_parquet(path)
        else:
            separator = "\t" if options.input_format == "tsv" else ","
            text = _decode(path.read_bytes(), path)
            table = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise InputError(f"{path}: cannot read as {options.input_format}: {first_line}") from None
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        names = [str(column) for column in table.columns]
        if any(has_contact_details(name) for name in names):
            # Without a header line the first record is read as one; never echo a contact's details.
            raise InputError(f"{path}: column(s) {', '.join(missing)} not found, and the first line holds an e-mail "
                             f"or web address: it looks like data, not a header line with column names")
        close = sorted({name for column in missing for name in difflib.get_close_matches(column, names, n=3)})
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(f"{path}: column(s) {', '.join(missing)} not found (columns: {', '.join(names)}){hint}")
    frame = pd.DataFrame(
        {
            "id": [f"p{i + 1:06d}" for i in range(len(table))],
            "position": table[options.title_column].astype("string").fillna(""),
            "company": table[options.company_column].astype("string").fillna("") if options.company_column else "",
            "connected_on_raw": table[options.date_column].astype("string").fillna("") if options.date_column else "",
            "file_row": range(2, len(table) + 2),
        }
    )
    return _finish(frame, path)


def _finish(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    if frame.empty:
        raise InputError(f"{path}: no data rows after the header")
    for column in ("position", "company"):
        text = frame[column].astype("string").fillna("").map(_without_invisible_characters)
        scrubbed = text.map(without_contact_details)
        if (changed := int((scrubbed != text.str.strip()).sum())):
            log.info("ingest: removed e-mail or web addresses from %d %s value(s)", changed, column)
        frame[column] = scrubbed.astype("string")
    frame["connected_on"] = plausible_dates(parse_dates(frame["connected_on_raw"]), frame["file_row"])
    return frame[PEOPLE_COLUMNS].reset_index(drop=True)


# No connection (or hire) date is older; a later one than today (a day's slack for time zones) is a typo
# ("01 Apr 2262" drew 563 yearly bars and dated the blog post 2262).
EARLIEST_DATE = pd.Timestamp("1900-01-01")


def plausible_dates(dates: pd.Series, file_rows: pd.Series) -> pd.Series:
    """Dates before 1900 or after today read as missing, with the file rows that held them in the log."""
    latest = pd.Timestamp.now().normalize() + pd.Timedelta(days=1)
    implausible = dates.notna() & ((dates < EARLIEST_DATE) | (dates > latest))
    if implausible.any():
        rows = ", ".join(str(row) for row in file_rows[implausible].head(5))
        log.warning("ingest: %d date(s) before 1900 or after today read as missing (file row %s%s)",
                    int(implausible.sum()), rows, ", ..." if implausible.sum() > 5 else "")
    return dates.mask(implausible)


def _is_email(match: re.Match) -> bool:
    """"jane.doe@x.com" is an e-mail address; "Data Scientist@Amazon.com", a role at a company, is not: a role is
    one capitalised or upper-case word ("Scientist", "SWE"), unless the domain is a webmail's ("Jane@gmail.com")."""
    local = match.group("local")
    reads_as_a_role = local.isalpha() and (local.istitle() or local.isupper())
    return not reads_as_a_role or bool(_WEBMAIL.match(match.group("domain")))


def has_contact_details(text: str) -> bool:
    return any(_is_email(match) for match in EMAIL.finditer(text)) or bool(WEB_ADDRESS.search(text))


def without_contact_details(text: str) -> str:
    """text without e-mail and web addresses, and without what they leave behind: empty brackets, doubled
    separators, separators at either end. Line breaks and everything else stay as written."""
    if not has_contact_details(text):
        return text.strip()
    text = WEB_ADDRESS.sub("", EMAIL.sub(lambda match: "" if _is_email(match) else match.group(0), text))
    text = _REPEATED_SEPARATORS.sub(r"\1", _EMPTY_BRACKETS.sub("", text))
    text = re.sub(r"[ \t]+([,;:])", r"\1", text)  # "Founder of www.acme.io, Inc." -> "Founder of, Inc."
    return re.sub(r"[ \t]+", " ", text).strip(_EDGE_SEPARATORS + "\n")


def _without_invisible_characters(text: str) -> str:
    """text without format characters (right-to-left overrides, zero-width spaces), which make a report cell or a
    spreadsheet read differently from what it holds; line breaks and the rest stay as written."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _profile_url_moved(row: list[str], url_column: int) -> bool:
    """Whether a LinkedIn row's URL cell holds something else while a later cell holds a profile URL."""
    if not row[url_column].strip() or WEB_ADDRESS.match(row[url_column].strip()):
        return False
    return any(WEB_ADDRESS.match(cell.strip()) for cell in row[url_column + 1:])


# Dates written with month names or the year first: never ambiguous.
NAMED_DATE_FORMATS = ("%d %b %Y", "%d-%b-%y", "%Y-%m-%d", "%Y/%m/%d", "%d-%b-%Y", "%b %d, %Y", "%B %d, %Y",
                      "%d %B %Y")
# All-number dates with the year last ("03/04/2021", "29.03.21"): day and month order is decided per file.
_NUMERIC_DATE = re.compile(r"(?P<first>\d{1,2})[/.-](?P<second>\d{1,2})[/.-](?P<year>\d{4}|\d{2})")


def parse_dates(values: pd.Series) -> pd.Series:
    """Parse dates leniently: LinkedIn's '15 Aug 2024', Excel's '29-Mar-21', ISO, and all-number dates
    ('03/29/2021') in the day/month order this file uses (see numeric_date_order). Unknown formats become NaT."""
    text = values.astype("string").fillna("").str.strip()
    parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in NAMED_DATE_FORMATS:
        missing = parsed.isna() & (text != "")
        if not missing.any():
            break
        parsed = parsed.where(~missing, pd.to_datetime(text.where(missing), format=fmt, errors="coerce"))
    iso = parsed.isna() & text.str.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*")
    if iso.any():  # ISO timestamps from HR systems: the date counts
        stamps = pd.to_datetime(text.where(iso), format="ISO8601", errors="coerce", utc=True)
        parsed = parsed.where(~iso, stamps.dt.tz_localize(None).dt.normalize())
    numeric = text[parsed.isna()].str.extract("^" + _NUMERIC_DATE.pattern + "$").dropna()
    if not numeric.empty:
        day_first, reason = numeric_date_order(numeric["first"].astype(int), numeric["second"].astype(int), text)
        day, month = (numeric["first"], numeric["second"]) if day_first else (numeric["second"], numeric["first"])
        # A 2-digit year pivots as strptime's %y does (00-68: 2000s), so a rerun next year reads it alike.
        short = numeric["year"].str.len() == 2
        century = numeric["year"].astype(int).map(lambda yy: "20" if yy <= 68 else "19")
        year = numeric["year"].where(~short, century + numeric["year"])
        dates = pd.to_datetime(year + "-" + month.str.zfill(2) + "-" + day.str.zfill(2), format="%Y-%m-%d",
                               errors="coerce")
        parsed.loc[dates.index] = dates
        log.info("ingest: all-number dates read %s: %s", "day first" if day_first else "month first", reason)
    return parsed.astype("datetime64[ns]")


def numeric_date_order(first: pd.Series, second: pd.Series, text: pd.Series) -> tuple[bool, str]:
    """Whether this file writes all-number dates day first, and why (for the log).

    A first field above 12 can only be a day, a second field above 12 only a day too; when no date
    settles it (every field 1-12) LinkedIn's day-first order is kept. A file that has both kinds mixes
    orders: day first is kept and the dates that do not fit end empty.
    """
    says_day_first = (first > 12) & (second <= 12)
    says_month_first = (second > 12) & (first <= 12)
    if says_day_first.any() and says_month_first.any():
        return True, (f"the file mixes orders ({text[says_day_first.idxmax()]} is day first, "
                      f"{text[says_month_first.idxmax()]} month first); dates that do not fit day first are left empty")
    if says_day_first.any():
        return True, f"{text[says_day_first.idxmax()]} has a day above 12 first"
    if says_month_first.any():
        return False, f"{text[says_month_first.idxmax()]} has a day above 12 second (US order)"
    return True, (f"no date settles it (every day and month is 12 or less, e.g. {text[first.index[0]]}): "
                  "kept day first, LinkedIn's order outside the US")
