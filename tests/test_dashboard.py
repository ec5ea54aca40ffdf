"""The public dashboard of the demo: a page that opens from disk with no network, links to the
open-data files beside it, escapes what it is given, and looks the same for the same data."""

import dataclasses
import html
import re
import struct
from datetime import datetime, timedelta
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from pipeline import rollup
from pipeline.dashboard import download_names, render, write_dashboard
from pipeline.export import export, tables
from pipeline.periods import parse_period
from pipeline.reference import load_reference
from pipeline.registry import load_registry
from pipeline.svg_charts import STATUS_COLOUR
from tests.builders.chromium import PHONE, offline_chromium, screenshot, visit

HOSTILE = '<script>alert("x")</script>&"\''


@pytest.fixture(scope="module")
def rollups(demo_workspace) -> dict:
    """The demo's two periods, built from its warehouse as the nightly run builds them."""
    from pipeline.settings import Settings

    settings = Settings(workspace=demo_workspace)
    reference = load_reference()
    registry = load_registry(settings.registry_path, reference)
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return {code: rollup.build(con, registry, reference, parse_period(code),
                                   settings.thresholds) for code in ("2569-Q1", "2569-Q2")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def page(rollups, tmp_path_factory):
    """index.html beside the same period's open-data files, as outputs/public/<period>/ holds."""
    folder = tmp_path_factory.mktemp("public") / "2569-Q2"
    export(tables(rollups["2569-Q2"]), folder)
    return write_dashboard(rollups["2569-Q2"], folder, [rollups["2569-Q1"]])


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(text)
    return parser.tags


def test_the_page_fetches_nothing_and_runs_no_script(page):
    text = page.read_text(encoding="utf-8")
    tags = _tags(text)
    assert not {t for t, _ in tags} & {"script", "link", "img", "iframe", "object", "embed"}
    urls = [a[k] for _, a in tags for k in ("src", "href", "action") if k in a]
    assert urls and not [u for u in urls if re.match(r"^([a-z]+:|//)", u, re.I)]
    assert not re.search(r"url\(|@import|https?://(?!www\.w3\.org/2000/svg)", text)
    assert "default-src 'none'" in text  # and the browser is told so


def test_every_link_is_an_open_data_file_beside_it_or_an_anchor_on_it(page):
    tags = _tags(page.read_text(encoding="utf-8"))
    hrefs = [a["href"] for _, a in tags if "href" in a]
    ids = {a["id"] for _, a in tags if "id" in a}
    files = [h for h in hrefs if not h.startswith("#")]
    assert sorted(files) == sorted(download_names())
    assert sorted(files) == sorted(p.name for p in page.parent.iterdir() if p != page)
    assert all((page.parent / f).is_file() and (page.parent / f).stat().st_size > 0 for f in files)
    assert {h[1:] for h in hrefs if h.startswith("#")} <= ids


def test_it_shows_every_dimension_group_and_key_result_and_the_reporting_rates(page, rollups):
    text = page.read_text(encoding="utf-8")
    data = rollups["2569-Q2"]
    for dim in data.reference.dimensions.itertuples():
        assert f"ด้านที่ {dim.dimension_id} {dim.name_th}" in text and dim.name_en in text
    for group in data.reference.groups.itertuples():
        assert group.group_th in text and html.escape(group.group_en) in text
    for kr in data.krs.itertuples():
        assert kr.kr_code in text and html.escape(kr.name_th) in text
    assert "ไตรมาส 2 ปีงบประมาณ 2569" in text and "Q2, FY 2569" in text
    rates = rollup.reporting_rates(data.completeness).set_index("area")
    city = rates.loc[rollup.CITY]
    assert f"เขตที่ส่งรายงานผ่านการตรวจ {int(city['accepted'])} จาก {int(city['expected'])} เขต" in text
    missing = data.completeness[data.completeness["state"] != "accepted"]
    assert len(missing) and all(name in text for name in missing["name_th"])
    # a card's target is the reporting districts' (fewer reported, it read as shrinking)
    assert "เขตที่รายงาน 44/50 (เป้าหมายของเขตเหล่านี้)" in text
    assert "districts reporting 44/50 (the target is theirs)" in text


def test_each_key_result_has_a_trend_point_per_period_of_the_year(rollups):
    q1, q2 = rollups["2569-Q1"], rollups["2569-Q2"]
    with_history = render(q2, [q1.city_figures()])
    alone = render(q2)
    for text, points in ((with_history, 2), (alone, 1)):
        spark = re.search(r'<svg class="spark"[^>]*aria-label="trend KR-1-01:.*?</svg>', text)
        assert spark and spark.group(0).count("<circle") == points
    assert "2569-Q1 " in with_history and "2569-Q1 " not in alone
    months = [dataclasses.replace(q1.city_figures(), period=parse_period(c))
              for c in ("2569-M02", "2569-M01")]
    spark = re.search(r'aria-label="trend KR-1-01: 2569-M01 [^"]* · 2569-M02 ', render(q2, months))
    assert spark, "earlier periods are drawn oldest first, whatever order they come in"
    with pytest.raises(ValueError, match="not an earlier period"):
        render(q1, [q2.city_figures()])


def test_text_from_the_registry_and_the_clerks_is_escaped_and_notes_are_not_published(rollups):
    data = rollups["2569-Q2"]
    krs = data.krs.copy()
    krs.loc[0, "name_th"] = HOSTILE
    krs.loc[0, "name_en"] = '"><img src=x onerror=alert(1)>'
    facts = data.kr_district.copy()
    facts.loc[0, "note"] = "<b>note-secret</b>"
    completeness = data.completeness.copy()
    completeness.loc[completeness["state"] != "accepted", "name_en"] = "<i>district</i>"
    text = render(dataclasses.replace(data, krs=krs, kr_district=facts,
                                      completeness=completeness))
    assert html.escape(HOSTILE) in text and HOSTILE not in text
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&lt;i&gt;district&lt;/i&gt;" in text
    assert not {t for t, _ in _tags(text)} & {"script", "img", "b", "i"}
    assert "note-secret" not in text


def test_the_same_data_gives_the_same_bytes_and_its_time_is_the_datas(rollups, tmp_path, page):
    q1, q2 = rollups["2569-Q1"], rollups["2569-Q2"]
    again = write_dashboard(q2, tmp_path / "again", [q1])
    assert again.read_bytes() == page.read_bytes()
    assert not list((tmp_path / "again").glob(".*tmp*"))  # written through a temporary name
    local = q2.as_of + timedelta(hours=7)  # stored in UTC, shown in Bangkok time
    shifted = dataclasses.replace(q2, as_of=datetime(2026, 4, 1, 20, 0))
    assert "figures received up to 2026-04-02 03:00 Bangkok time" in render(shifted)  # UTC + 7
    assert f"{local:%Y-%m-%d %H:%M} Bangkok time" in page.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser():
    with offline_chromium() as chromium:
        yield chromium


def test_chromium_offline_opens_it_without_errors_and_draws_its_charts(page, rollups, browser):
    seen = visit(browser, page)
    assert seen.problems == []
    assert seen.requests == [page.resolve().as_uri()]
    charts = seen.page.locator("svg.spark")
    assert charts.count() == len(rollups["2569-Q2"].krs)
    box = charts.first.bounding_box()
    assert box and box["width"] > 50 and box["height"] > 20
    assert seen.page.locator("svg.bar").count() >= 9 + 7 * 9 + len(rollups["2569-Q2"].krs)
    bar = seen.page.locator("#dimensions svg.bar").first.bounding_box()
    assert bar and bar["width"] > 100  # a bar stretches across its card
    seen.page.close()


def test_the_offline_check_does_catch_a_page_that_needs_the_network(browser, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><link rel="stylesheet" '
                   'href="https://cdn.example.com/x.css"></head><body>'
                   '<script>console.error("boom")</script></body></html>', encoding="utf-8")
    seen = visit(browser, bad)
    assert any("cdn.example.com" in p and "ERR_NAME_NOT_RESOLVED" in p for p in seen.problems)
    assert "console error: boom" in seen.problems
    seen.page.close()


def test_on_a_phone_nothing_is_wider_than_the_screen_and_english_only_switches(page, browser):
    seen = visit(browser, page, PHONE)
    width = seen.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # wide tables scroll inside their own box
    title_th = seen.page.locator("h1 .th")
    title_en = seen.page.locator("h1 .en")
    assert title_th.is_visible() and title_en.is_visible()
    seen.page.locator("label.lang-label").click()
    assert not title_th.is_visible() and title_en.is_visible()
    waiting = seen.page.locator("#completeness p").last.inner_text()  # Thai names stayed
    assert waiting.startswith("no accepted report yet:") and "Nong Chok" in waiting
    assert not re.search("[\u0e00-\u0e7f]", waiting), waiting
    assert seen.problems == []
    seen.page.close()


def test_each_groups_progress_says_how_many_districts_it_stands_on(page, rollups):
    completeness = rollups["2569-Q2"].completeness
    accepted = completeness[completeness["state"] == "accepted"].groupby("group_code").size()
    expected = completeness.groupby("group_code").size()
    section = page.read_text(encoding="utf-8").split('id="groups"')[1].split("</section>")[0]
    for code in expected.index:
        assert f"รายงาน {accepted.get(code, 0)}/{expected[code]} เขต" in section, code
        assert f"{accepted.get(code, 0)} of {expected[code]} reporting" in section, code
    assert f"รายงาน {accepted.sum()}/{expected.sum()} เขต" in section


def test_printed_it_is_a4_landscape_and_no_table_is_cut(page, browser, tmp_path):
    """Printed on the browser's default page (Letter, upright), the group table stopped at
    dimension 6: its box scrolled, and paper does not."""
    seen = visit(browser, page)
    pdf = tmp_path / "dashboard.pdf"
    seen.page.pdf(path=str(pdf), prefer_css_page_size=True)
    sizes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes()))
    assert {(round(float(w)), round(float(h))) for w, h in sizes} == {(842, 595)}  # A4, points
    seen.page.set_viewport_size({"width": round((297 - 24) / 25.4 * 96), "height": 700})
    seen.page.emulate_media(media="print")  # as laid out on the page, its margins left out
    cut = seen.page.evaluate("""[...document.querySelectorAll('table')]
        .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map(t => t.closest('section').id)""")
    assert cut == []
    seen.page.close()


def test_a_reporting_rate_is_not_drawn_in_a_statuss_colour(page, browser):
    """Every rate was drawn in the colour of "on track", 43 % too."""
    seen = visit(browser, page)
    fills = seen.page.evaluate("""[...document.querySelectorAll('#completeness svg.bar')]
        .map(svg => svg.querySelectorAll('rect')[1].getAttribute('fill'))""")
    seen.page.close()
    assert fills and not set(fills) & set(STATUS_COLOUR.values())


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_a_screenshot_shows_a_whole_page(page, browser, tmp_path, viewport):
    seen = visit(browser, page, viewport)
    png = screenshot(seen, tmp_path / f"dashboard-{viewport['width']}.png")
    seen.page.close()
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width == viewport["width"] and height > 4 * viewport["height"]
    assert len(data) > 100_000  # text and charts, not a blank page


def test_each_download_says_which_areas_its_rows_are_for(page):
    """kr_scores was said to hold the city and the district groups; it holds each district's
    figures too, as dimension_scores does."""
    text = page.read_text(encoding="utf-8")
    for name in ("kr_scores", "dimension_scores"):
        areas = set(pd.read_parquet(page.parent / f"{name}.parquet")["area"])
        assert {"city", "01", "1001"} <= areas
    assert text.count("ระดับเมือง กลุ่มเขต และเขต") == 2
    assert "key results by city, group and district" in text
