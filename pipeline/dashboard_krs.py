"""The dashboard's key-result cards: the city figure against its target, progress against
expected progress, status, how many districts it stands on, and its trend over the periods of
the fiscal year so far."""

from collections.abc import Sequence
from html import escape

from pipeline.html_text import badge, bi, num, pct
from pipeline.rollup import CityFigures, PeriodRollup
from pipeline.svg_charts import progress_bar, sparkline


def kr_cards(rollup: PeriodRollup, earlier: Sequence[CityFigures]) -> dict[int, str]:
    """Each dimension's cards, by dimension id, KRs in code order."""
    city = rollup.kr_city.set_index("kr_code").to_dict("index")  # a dict: looked up per KR
    history = [(r.period, dict(zip(r.kr_city["kr_code"].tolist(),
                                   r.kr_city["progress"].tolist(), strict=True)))
               for r in [*earlier, rollup]]
    cards: dict[int, list[str]] = {}
    for kr in rollup.krs.sort_values("kr_code").itertuples():
        cards.setdefault(kr.dimension_id, []).append(
            _card(kr, city.get(kr.kr_code), rollup.expected, history))
    return {dimension_id: "".join(parts) for dimension_id, parts in cards.items()}


def _card(kr, row: dict | None, expected: float, history) -> str:
    status = "no_data" if row is None else str(row["status"])
    progress = None if row is None else num(row["progress"])
    actual = None if row is None else num(row["actual"])
    target = None if row is None else num(row["target"])
    unit_th, unit_en = (("ของเขตที่ดำเนินการแล้ว", "of districts done")
                        if kr.kr_type == "milestone" else (kr.unit_th, kr.unit_en))
    figure = f"{_figure(actual, kr)} / {_figure(target, kr)}"
    reporting = "–" if row is None else f"{int(row['reporting'])}/{int(row['assigned'])}"
    # the target is the sum or mean of the reporting districts' own, as the actual is
    whose = (f"เขตที่รายงาน {reporting} (เป้าหมายของเขตเหล่านี้)",
             f"districts reporting {reporting} (the target is theirs)")
    lower = (f'<div class="muted">{bi("↓ ยิ่งน้อยยิ่งดี", "lower is better", inline=True)}</div>'
             if kr.direction == "decrease" else "")
    bar_label = f"progress {pct(progress)}, expected {pct(expected)}"
    return (
        f'<div class="card"><div class="code">{escape(kr.kr_code)}</div>'
        f"<h3>{bi(kr.name_th, kr.name_en)}</h3>"
        f'<div class="figure">{bi(f"{figure} {unit_th}", f"{figure} {unit_en}")}</div>'
        f"{lower}{progress_bar(progress, expected, bar_label, status)}"
        f"<div>{bi(f'ความก้าวหน้า {pct(progress)}', f'progress {pct(progress)}', inline=True)} "
        f"{badge(status)}</div>"
        f'<div class="muted">{bi(*whose)}'
        f"</div>{_trend(kr.kr_code, history)}</div>")


def _figure(value: float | None, kr) -> str:
    if value is None:
        return "–"
    if kr.kr_type == "milestone":
        return f"{value:.0%}"
    return f"{value:,.{int(kr.decimals)}f}"


def _trend(kr_code: str, history) -> str:
    points, words = [], []
    for period, progress in history:
        value = num(progress.get(kr_code))
        points.append((period.elapsed_share, value))
        words.append(f"{period.code} {pct(value)}")
    text = " · ".join(words)
    return (f'<div class="trend">{sparkline(points, f"trend {kr_code}: {text}")}'
            f'<span class="muted">{bi("แนวโน้ม", "trend", inline=True)}<br>{text}</span></div>')
