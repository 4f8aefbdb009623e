"""Open the report from disk in headless Debian Chromium with the network blocked."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from workflow_run import XSS_TITLES

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_FLAGS = ["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-quic"]
# _fullData holds decoded arrays (data may keep plotly's base64 typed-array form).
TOTAL_POINTS = "document.getElementById('network-map')._fullData.reduce((n, t) => n + t.x.length, 0)"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium (make browser)")
        pytest.skip("chromium is not installed (make browser installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


def open_offline(browser, path: Path):
    """A page that may load only file:// URLs; every other request is recorded and aborted."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    events = {"blocked": [], "errors": [], "dialogs": []}

    def route(request_route):
        if request_route.request.url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            events["blocked"].append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("console", lambda message: message.type == "error" and events["errors"].append(message.text))
    page.on("pageerror", lambda error: events["errors"].append(str(error)))
    page.on("dialog", lambda dialog: (events["dialogs"].append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("document.getElementById('network-map') && document.getElementById('network-map').data")
    return page, events


def hover_shows(page, trace: int, point: int, expected: list[str]) -> bool:
    """Hover one point and wait until its label shows every expected string (as text)."""
    page.evaluate(f"Plotly.Fx.unhover('network-map'); "
                  f"Plotly.Fx.hover('network-map', [{{curveNumber: {trace}, pointNumber: {point}}}])")
    try:
        page.wait_for_function(
            """expected => {
                const layer = document.querySelector('#network-map .hoverlayer');
                return layer && expected.every(text => layer.textContent.includes(text));
            }""",
            arg=expected, timeout=5000)
        return True
    except Exception:  # playwright's TimeoutError: the label never showed the text
        return False


@pytest.mark.parametrize("page_name", ["report.html", "map.html"])
def test_report_in_a_real_browser(browser, finished_run, page_name):
    workdir, *_ = finished_run
    assignments = pd.read_csv(workdir / "results" / "assignments.csv")
    page, events = open_offline(browser, workdir / "results" / "report" / page_name)
    assert page.evaluate(TOTAL_POINTS) == int(assignments["title"].notna().sum())
    names = page.evaluate("document.getElementById('network-map').data.map(t => t.name)")
    has_outliers = bool((assignments["category"] == "Uncategorized").any())
    assert names[0].startswith("Uncategorized") == has_outliers

    # Hover the first point of the largest named category: its title and category show.
    trace = 1 if has_outliers else 0
    title = page.evaluate(f"document.getElementById('network-map').data[{trace}].text[0]")
    # Labels are HTML-escaped for plotly, which shows the entities as the original characters.
    category = html.unescape(names[trace].rsplit(" (", 1)[0])
    topic, _, description = page.evaluate(f"document.getElementById('network-map').data[{trace}].customdata[0]")[:3]
    # The fake LLM described every title, so the hover carries its description (its first line here).
    assert description
    assert hover_shows(page, trace, 0, [html.unescape(title), f"Topic: {html.unescape(topic)}",
                                        f"Category: {category}", html.unescape(description.split("<br>")[0])])

    # The XSS titles are shown as text, never executed or turned into elements.
    found = 0
    for trace_index, trace_data in enumerate(page.evaluate("document.getElementById('network-map').data")):
        for point, text in enumerate(trace_data["text"]):
            for xss in XSS_TITLES:
                if html.escape(xss) == text:
                    assert hover_shows(page, trace_index, point, [xss])
                    found += 1
    assert found == len(XSS_TITLES)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert events["dialogs"] == []
    assert events["blocked"] == []
    assert events["errors"] == []
    if page_name == "report.html":
        # Every chart of the report drew (plotly adds its SVG main layer once a plot has rendered).
        drawn = page.evaluate("[...document.querySelectorAll('.js-plotly-plot')].filter("
                              "plot => plot.querySelector('.main-svg')).map(plot => plot.id)")
        for chart in ("network-map", "category-sizes", "connections-per-year", "category-shares-by-year",
                      "occupation-groups", "sweep-heatmaps", "sweep-stability"):
            assert chart in drawn, chart
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{Path(page_name).stem}.png"), full_page=False)
    page.close()


def annotation_texts(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#network-map .annotation-text')].map(e => e.textContent)")


def visible_label_boxes(page) -> list[dict]:
    """Each map label's box on screen, and whether it lies inside the plot area."""
    return page.evaluate("""() => {
        const area = document.querySelector('#network-map .nsewdrag').getBoundingClientRect();
        return [...document.querySelectorAll('#network-map .annotation')].map(label => {
            const box = label.getBoundingClientRect();
            return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
                    inside: box.left >= area.left - 1 && box.right <= area.right + 1 &&
                            box.top >= area.top - 1 && box.bottom <= area.bottom + 1};
        });
    }""")


def matches_in_page(page) -> int:
    return page.evaluate("document.getElementById('network-map')._fullData"
                         ".reduce((n, t) => n + (t.selectedpoints ? t.selectedpoints.length : 0), 0)")


def search(page, text: str) -> int:
    """Type into the search box (its input handler runs before fill returns); the points now highlighted."""
    page.fill("#network-map-search", text)
    shown = page.evaluate("document.getElementById('network-map').getAttribute('data-search-matches')")
    assert shown == (str(matches_in_page(page)) if text else "")
    return matches_in_page(page)


@pytest.mark.parametrize("page_name", ["report.html", "map.html"])
def test_map_names_search_and_levels(browser, finished_run, page_name):
    workdir, *_ = finished_run
    assignments = pd.read_parquet(workdir / "results" / "assignments.parquet")  # original text; the CSV is spreadsheet-safe
    titled = assignments[assignments["category"] != "No job title"]
    page, events = open_offline(browser, workdir / "results" / "report" / page_name)
    page.wait_for_function("document.querySelector('#network-map .annotation-text')")

    # Every category is named on the map, Uncategorized is not; no two names overlap; all inside the plot.
    categories = set(titled["category"]) - {"Uncategorized"}
    assert sorted(annotation_texts(page)) == sorted(categories)
    ARTIFACTS.mkdir(exist_ok=True)
    stem = Path(page_name).stem
    # Laid out for a plot 600 px wide: in an 800 px window (a ~680 px plot) the names stay apart and inside it.
    for width in (800, 1300):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)  # plotly redraws a responsive chart on resize
        boxes = visible_label_boxes(page)
        assert len(boxes) == len(categories) and all(box["inside"] for box in boxes), width
        assert not any(a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"]
                       and b["top"] < a["bottom"] for i, a in enumerate(boxes) for b in boxes[i + 1:]), width
        page.locator("#network-map").screenshot(path=str(ARTIFACTS / f"{stem}-names-{width}.png"))

    # Search: exactly the contacts whose title, topic or category contains the text (case-insensitive).
    fields = titled[["title", "topic_label", "category"]].fillna("")
    expected = int(fields.apply(lambda row: any("data" in value.lower() for value in row), axis=1).sum())
    assert expected > 0
    assert search(page, "DaTa") == expected
    count = page.evaluate("document.getElementById('network-map-search-count').textContent")
    assert count == f"{expected} of {len(titled)} contacts match"
    page.locator("#network-map").screenshot(path=str(ARTIFACTS / f"{stem}-search-data.png"))
    # A typed tag is text: it finds the XSS title and runs nothing.
    assert search(page, "<img src=x") == 1
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert search(page, "") == 0
    assert page.evaluate("document.getElementById('network-map-search-count').textContent") == ""

    # The finer level: the topic names (Uncategorized still unnamed).
    page.locator("#network-map .updatemenu-button", has_text="Topics").click()
    topics = set(titled.loc[titled["category"] != "Uncategorized", "topic_label"]) - {"Uncategorized"}
    page.wait_for_function("expected => [...document.querySelectorAll('#network-map .annotation-text')]"
                           ".length === expected", arg=len(topics))
    assert sorted(annotation_texts(page)) == sorted(topics)
    page.locator("#network-map").screenshot(path=str(ARTIFACTS / f"{stem}-topics.png"))

    # Zooming follows the levels: back to the category names, then zoomed in 3x the topic names appear.
    page.locator("#network-map .updatemenu-button", has_text="Categories").click()
    page.wait_for_function("expected => document.querySelectorAll('#network-map .annotation-text').length === "
                           "expected", arg=len(categories))
    page.evaluate("""() => {
        const plot = document.getElementById('network-map');
        const [x0, x1] = plot.layout.xaxis.range, [y0, y1] = plot.layout.yaxis.range;
        const [cx, cy, w, h] = [(x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 6, (y1 - y0) / 6];
        return Plotly.relayout(plot, {'xaxis.range[0]': cx - w, 'xaxis.range[1]': cx + w,
                                      'yaxis.range[0]': cy - h, 'yaxis.range[1]': cy + h});
    }""")
    page.wait_for_function("() => document.getElementById('network-map').layout.updatemenus[0].active === 1")
    # Plotly draws only the labels inside the zoomed view; the layout holds them all.
    shown = page.evaluate("document.getElementById('network-map').layout.annotations.map(a => a.text)")
    assert sorted(html.unescape(text) for text in shown) == sorted(topics)
    assert set(annotation_texts(page)) <= topics
    assert events["errors"] == [] and events["blocked"] == [] and events["dialogs"] == []
    page.close()


def test_rendered_report_text_is_clean(browser, finished_run):
    """What a reader sees: no nan, None or raw JSON braces; the map's search box above it."""
    workdir, *_ = finished_run
    page, events = open_offline(browser, workdir / "results" / "report" / "report.html")
    text = page.evaluate("document.body.innerText")
    assert not re.search(r"\b(nan|NaN|None)\b|[{}]", text), re.search(r".{60}(\b(nan|NaN|None)\b|[{}]).{60}", text)
    assert page.evaluate("document.getElementById('network-map-search').compareDocumentPosition("
                         "document.getElementById('network-map')) & Node.DOCUMENT_POSITION_FOLLOWING")
    page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
    # Nothing wider than the page, also in a narrow window (wide tables scroll inside themselves).
    for width in (1300, 800):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)  # plotly redraws responsive charts on resize
        too_wide = page.evaluate("[...document.querySelectorAll('body *')].filter(element => "
                                 "element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
                                 ".map(element => element.tagName + '#' + element.id)")
        assert too_wide == [], (width, too_wide[:5])
    assert events["errors"] == []
    page.close()
