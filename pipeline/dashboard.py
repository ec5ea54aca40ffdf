"""A period's roll-up → the public dashboard: `index.html` beside the period's open-data files.

One static page that opens from disk with no network: styles inline, charts inline SVG, no
script (a Content-Security-Policy tells the browser so too). Thai first with English under
it, and an English-only switch done in CSS. It shows only what the open data publishes: no
clerk's notes. The time shown is the data's own (`as_of`): the same data, the same bytes."""

from collections.abc import Sequence
from datetime import UTC
from html import escape
from pathlib import Path

from pipeline.atomic import atomic_path
from pipeline.dashboard_css import CSS
from pipeline.dashboard_krs import kr_cards
from pipeline.export import DICTIONARY
from pipeline.html_text import STATUS, bi, num, pct
from pipeline.periods import BANGKOK, thai_time
from pipeline.rollup import (
    CITY,
    FIGURES_AS_OF,
    CityFigures,
    PeriodRollup,
    received_until,
    reporting,
    reporting_rates,
)
from pipeline.svg_charts import STATUS_COLOUR, progress_bar, status_stack

DOWNLOADS = {  # open-data file → what it holds (Thai, English)
    "facts": ("ผลการดำเนินงานรายเขต", "figures by district"),
    "kr_scores": ("ผลรวมรายตัวชี้วัด ระดับเมือง กลุ่มเขต และเขต",
                  "key results by city, group and district"),
    "dimension_scores": ("คะแนนรายด้าน ระดับเมือง กลุ่มเขต และเขต",
                         "dimension scores by city, group and district"),
    "reporting": ("การส่งรายงานของแต่ละเขต", "who reported, and when"),
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CITY_NAME = ("ทั้งเมือง", "whole city")


def write_dashboard(rollup: PeriodRollup, out_dir: Path,
                    earlier: Sequence[CityFigures] = ()) -> Path:
    """`earlier`: the city figures of earlier periods of the same fiscal year."""
    path = out_dir / "index.html"
    with atomic_path(path) as tmp:
        tmp.write_bytes(render(rollup, earlier).encode("utf-8"))
    return path


def render(rollup: PeriodRollup, earlier: Sequence[CityFigures] = ()) -> str:
    for other in earlier:
        if (other.period.fiscal_year != rollup.period.fiscal_year
                or other.period.end >= rollup.period.end):
            raise ValueError(f"{other.period.code} is not an earlier period of the fiscal year "
                             f"of {rollup.period.code}")
    earlier = sorted(earlier, key=lambda r: (r.period.end, r.period.start))  # M.. and Q.. mixed
    title = f"ความก้าวหน้า OKR กรุงเทพมหานคร — {rollup.period.label_th}"
    body = "\n".join([_header(rollup), _summary(rollup), _dimensions(rollup), _groups(rollup),
                      _completeness(rollup), _key_results(rollup, earlier), _downloads(),
                      _footer(rollup)])
    return (
        '<!DOCTYPE html>\n<html lang="th">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        '<input type="checkbox" id="lang-en" class="lang" aria-label="English only">\n'
        f'<div class="page">\n{body}\n</div>\n</body>\n</html>\n')


def _section(key: str, th: str, en: str, content: str) -> str:
    return f'<section id="{key}"><h2>{bi(th, en)}</h2>{content}</section>'


def _header(rollup: PeriodRollup) -> str:
    p = rollup.period
    local = rollup.as_of.replace(tzinfo=UTC).astimezone(BANGKOK)  # received_at is UTC
    as_of = bi(f"{FIGURES_AS_OF[0]} {thai_time(local)}",
               f"{FIGURES_AS_OF[1]} {local:%Y-%m-%d %H:%M} Bangkok time")
    title = bi("ความก้าวหน้าตามแผนปฏิบัติราชการกรุงเทพมหานคร (OKR)", "Bangkok OKR progress")
    return (f'<header class="top"><h1>{title}</h1><p>{bi(p.label_th, p.label_en)}</p>'
            f'<p>{as_of}</p><label for="lang-en" class="lang-label">English only</label>'
            "</header>")


def _status_counts(statuses) -> dict[str, int]:
    counts = statuses.value_counts()
    return {s: int(counts.get(s, 0)) for s in STATUS}


def _summary(rollup: PeriodRollup) -> str:
    counts = _status_counts(rollup.kr_city["status"])
    legend = "".join(f'<span><span class="swatch" style="background:{STATUS_COLOUR[s]}"></span>'
                     f"{bi(*STATUS[s], inline=True)} {n}</span>" for s, n in counts.items())
    city = reporting_rates(rollup.completeness).set_index("area").loc[CITY]
    n, expected = len(rollup.kr_city), pct(rollup.expected)
    accepted, due = int(city["accepted"]), int(city["expected"])
    lines = [
        bi(f"ตัวชี้วัด {n} ตัว ตามสถานะ", f"{n} key results by status"),
        status_stack(counts, "key results by status"),
        f'<span class="legend">{legend}</span>',
        bi(f"ความก้าวหน้าที่คาดหวัง ณ รอบนี้ {expected} ของเป้าหมายทั้งปี",
           f"expected progress at this period: {expected} of the year's target"),
        bi(f"เขตที่ส่งรายงานผ่านการตรวจ {accepted} จาก {due} เขต",
           f"{accepted} of {due} districts reported"),
    ]
    return _section("summary", "ภาพรวมทั้งเมือง", "The city at a glance",
                    "".join(f"<p>{line}</p>" for line in lines))


def _bar_note(rollup: PeriodRollup) -> str:
    expected = pct(rollup.expected)
    return ('<p class="muted">'
            + bi(f"แถบ = คะแนน (ความก้าวหน้าเฉลี่ย 0–100%) · เส้นตั้ง = ที่คาดหวัง {expected}",
                 f"bar = score (mean progress, 0–100%) · tick = expected {expected}") + "</p>")


def _dimensions(rollup: PeriodRollup) -> str:
    scores = rollup.dims_city.set_index("dimension_id")
    krs = rollup.kr_city.merge(rollup.krs[["kr_code", "dimension_id"]], on="kr_code")
    cards = []
    for dim in rollup.reference.dimensions.sort_values("dimension_id").itertuples():
        d = dim.dimension_id
        row = scores.loc[d] if d in scores.index else None
        score = None if row is None else num(row["score"])
        total, with_data = (0, 0) if row is None else (int(row["krs"]), int(row["krs_with_data"]))
        label = f"score {pct(score)}, expected {pct(rollup.expected)}"
        counted = bi(f"ตัวชี้วัด {total} ตัว มีข้อมูล {with_data}",
                     f"{total} key results, {with_data} with figures")
        cards.append(
            f'<div class="card"><h3><a href="#dim-{d}">'
            f"{bi(f'ด้านที่ {d} {dim.name_th}', dim.name_en)}</a></h3>"
            f'<div class="figure">{bi(f"คะแนน {pct(score)}", f"score {pct(score)}")}</div>'
            f"{progress_bar(score, rollup.expected, label)}"
            f"{status_stack(_status_counts(krs[krs['dimension_id'] == d]['status']), label)}"
            f'<div class="muted">{counted}</div>'
            "</div>")
    return _section("dimensions", "ความก้าวหน้ารายด้าน", "Progress by dimension",
                    _bar_note(rollup) + f'<div class="grid">{"".join(cards)}</div>')


def _groups(rollup: PeriodRollup) -> str:
    dims = rollup.reference.dimensions.sort_values("dimension_id")["dimension_id"].tolist()
    by_group = rollup.dims_group.set_index(["group_code", "dimension_id"])["score"]
    city = rollup.dims_city.set_index("dimension_id")["score"]
    groups = rollup.reference.groups.sort_values("group_code")
    standing = reporting(rollup.completeness, [*groups["group_code"], CITY])

    def named(th: str, en: str, area: str) -> str:
        return bi(th, en) + f'<div class="muted">{bi(*standing[area])}</div>'
    areas = [(named(g.group_th, g.group_en, g.group_code), "",
              [num(by_group.get((g.group_code, d))) for d in dims]) for g in groups.itertuples()]
    areas.append((named(*CITY_NAME, CITY), ' class="city"', [num(city.get(d)) for d in dims]))
    rows = "".join(
        f"<tr{css}><td>{name}</td>" + "".join(
            f'<td class="num">{pct(v)}{progress_bar(v, rollup.expected, pct(v), width=70)}</td>'
            for v in values) + "</tr>" for name, css, values in areas)
    head = "".join(f'<th class="num">{bi(f"ด้าน {d}", f"dim. {d}")}</th>' for d in dims)
    table = (f'<div class="scroll"><table><thead><tr><th>{bi("กลุ่มเขต", "district group")}</th>'
             f"{head}</tr></thead><tbody>{rows}</tbody></table></div>")
    return _section("groups", "ความก้าวหน้ารายกลุ่มเขต", "Progress by district group",
                    _bar_note(rollup) + table)


COMPLETENESS_COLS = [("expected", "ต้องส่ง", "expected"), ("accepted", "ผ่านการตรวจ", "accepted"),
                     ("on_time", "ตรงเวลา", "on time"), ("late", "ล่าช้า", "late"),
                     ("rejected", "ไม่ผ่าน", "rejected"), ("missing", "ยังไม่ส่ง", "missing")]


def _completeness(rollup: PeriodRollup) -> str:
    rates = reporting_rates(rollup.completeness).set_index("area")
    names = rollup.reference.groups.set_index("group_code")
    rows = []
    for area in [*sorted(a for a in rates.index if a != CITY), CITY]:
        r, rate = rates.loc[area], float(rates.loc[area, "rate"])
        name = (bi(*CITY_NAME) if area == CITY
                else bi(names.loc[area, "group_th"], names.loc[area, "group_en"]))
        cells = "".join(f'<td class="num">{int(r[key])}</td>' for key, _, _ in COMPLETENESS_COLS)
        chart = progress_bar(rate, 1.0, f"{rate:.0%}", width=70)  # a rate, not a status
        rows.append(f'<tr{" class=city" if area == CITY else ""}><td>{name}</td>{cells}'
                    f'<td class="num">{rate:.0%}{chart}</td></tr>')
    head = "".join(f'<th class="num">{bi(th, en)}</th>' for _, th, en in COMPLETENESS_COLS)
    waiting = rollup.completeness[rollup.completeness["state"] != "accepted"].sort_values(
        "district_code")
    listed = bi(", ".join(waiting["name_th"]) or "–", ", ".join(waiting["name_en"]) or "–",
                inline=True)  # in English, the English names only
    received = received_until(rollup).replace(tzinfo=UTC).astimezone(BANGKOK)
    until = bi(f"รับไฟล์ถึง {thai_time(received)}",
               f"files received as of {received:%Y-%m-%d %H:%M} Bangkok time")
    return _section(
        "completeness", "ความครบถ้วนของการรายงาน", "Reporting rates",
        f'<p class="muted">{until}</p>'
        f'<div class="scroll"><table><thead><tr><th>{bi("กลุ่มเขต", "district group")}</th>'
        f'{head}<th class="num">{bi("อัตราการรายงาน", "reporting rate")}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        f'<p>{bi("ยังไม่มีรายงานที่ผ่านการตรวจ:", "no accepted report yet:", inline=True)} '
        f"{listed}</p>")


def _key_results(rollup: PeriodRollup, earlier: Sequence[CityFigures]) -> str:
    parts = ['<p class="muted">' + bi("เส้นประ = แผน (ความก้าวหน้าที่คาดหวังตามเวลา)",
                                      "dashed line = plan (expected progress over the year)")
             + "</p>"]
    cards = kr_cards(rollup, earlier)
    for dim in rollup.reference.dimensions.sort_values("dimension_id").itertuples():
        d = dim.dimension_id
        parts.append(f'<h3 id="dim-{d}">{bi(f"ด้านที่ {d} {dim.name_th}", dim.name_en)}</h3>'
                     f'<div class="grid">{cards.get(d, "")}</div>')
    return _section("key-results", "ตัวชี้วัดและแนวโน้ม", "Key results and trends", "".join(parts))


def download_names() -> list[str]:
    """The open-data files of `pipeline.export`, which the page links to."""
    return [f"{name}.{ext}" for name in DICTIONARY for ext in ("csv", "parquet")] + [
        "data_dictionary.csv"]


def _downloads() -> str:
    items = []
    for name in DICTIONARY:
        th, en = DOWNLOADS.get(name, (name, name))
        links = " · ".join(f'<a href="{escape(f)}" download>{escape(f)}</a>'
                           for f in (f"{name}.csv", f"{name}.parquet"))
        items.append(f"<li>{bi(th, en, inline=True)}: {links}</li>")
    items.append(f'<li>{bi("คำอธิบายข้อมูล", "data dictionary", inline=True)}: '
                 '<a href="data_dictionary.csv" download>data_dictionary.csv</a></li>')
    note = bi("CSV (UTF-8 มี BOM เปิดด้วย Excel ได้) และ Parquet",
              "CSV (UTF-8 with BOM, opens in Excel) and Parquet")
    return _section("downloads", "ดาวน์โหลดข้อมูลเปิด", "Open data downloads",
                    f'<ul>{"".join(items)}</ul><p class="muted">{note}</p>')


def _footer(rollup: PeriodRollup) -> str:
    method = bi("ความก้าวหน้า = (ผล − ค่าฐาน) ÷ (เป้าหมาย − ค่าฐาน) แสดงในช่วง 0–100%; "
                "ตัวชี้วัดที่ต้องรักษาระดับ (หรือเป้าหมายเท่ากับค่าฐาน) = สัดส่วนของระดับที่รักษาได้ "
                "× สัดส่วนของปีงบประมาณที่ผ่านไป; ตัวชี้วัดแบบสำเร็จ/ไม่สำเร็จ = สัดส่วนของเขตที่สำเร็จ; "
                "ที่คาดหวัง = สัดส่วนของปีงบประมาณที่ผ่านไป; ไม่เผยแพร่หมายเหตุของเขต",
                "progress = (actual − baseline) ÷ (target − baseline), shown within 0–100%; "
                "a level to hold (or a target equal to its baseline): the share of the level "
                "held × the share of the fiscal year elapsed; a milestone: the share of "
                "districts done; expected = share of the fiscal year elapsed; district notes "
                "are not published")
    source = bi("สำนักยุทธศาสตร์และประเมินผล กรุงเทพมหานคร",
                "Strategy and Evaluation Department, Bangkok Metropolitan Administration")
    return (f"<footer><p>{method}</p><p>{source}</p>"
            f"<p>{escape(rollup.period.code)}</p></footer>")
