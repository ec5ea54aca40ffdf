"""Numbers → small inline SVG charts for the public dashboard: a progress bar against the
expected progress, a stack of KR statuses, a sparkline of a KR over the fiscal year.

Written by Python, not drawn by a script in the browser: the page opens from disk with no
network and no JavaScript. Coordinates are rounded so the same figures give the same bytes.
Every text is escaped: labels may come from the registry or the clerks."""

from collections.abc import Sequence
from html import escape

STATUS_COLOUR = {"on_track": "#2e7d32", "at_risk": "#f9a825", "off_track": "#c62828",
                 "no_data": "#9e9e9e"}
TRACK = "#e0e0e0"
BAR = "#1f4e78"
EXPECTED = "#424242"


def _n(value: float) -> str:
    """A coordinate with one decimal, without a trailing .0: stable bytes."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _svg(width: int, height: int, label: str, body: str, css: str, stretch: bool = False) -> str:
    """`stretch`: the chart fills its box's width (bars); otherwise it keeps its proportions."""
    ratio = ' preserveAspectRatio="none"' if stretch else ""
    return (f'<svg class="{css}" viewBox="0 0 {width} {height}"{ratio} role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
            f"<title>{escape(label)}</title>{body}</svg>")


def progress_bar(progress: float | None, expected: float, label: str,
                 status: str = "no_data", width: int = 200) -> str:
    """Progress (capped to 0–1) as a filled bar; the expected progress as a tick across it."""
    height = 14
    body = f'<rect x="0" y="3" width="{width}" height="8" rx="2" fill="{TRACK}"/>'
    if progress is not None:
        shown = min(max(progress, 0.0), 1.0)
        colour = STATUS_COLOUR.get(status, BAR) if status != "no_data" else BAR
        body += (f'<rect x="0" y="3" width="{_n(shown * width)}" height="8" rx="2" '
                 f'fill="{colour}"/>')
    tick = _n(min(max(expected, 0.0), 1.0) * width)
    body += (f'<line x1="{tick}" y1="0" x2="{tick}" y2="{height}" stroke="{EXPECTED}" '
             f'stroke-width="2" vector-effect="non-scaling-stroke"/>')
    return _svg(width, height, label, body, "bar", stretch=True)


def status_stack(counts: dict[str, int], label: str, width: int = 300) -> str:
    """How many KRs stand in each status, as one stacked bar in the order given."""
    height = 18
    total = sum(counts.values()) or 1
    body, x = "", 0.0
    for status, count in counts.items():
        if not count:
            continue
        w = count / total * width
        body += (f'<rect x="{_n(x)}" y="0" width="{_n(w)}" height="{height}" '
                 f'fill="{STATUS_COLOUR[status]}"><title>{escape(status)}: {count}</title></rect>')
        x += w
    return _svg(width, height, label, body, "stack", stretch=True)


def sparkline(points: Sequence[tuple[float, float | None]], label: str,
              width: int = 120, height: int = 36) -> str:
    """A KR over the fiscal year: x is the share of the year elapsed at each period, y its
    progress (capped to 0–1). The diagonal is the plan (expected progress = share elapsed),
    so a point above it is ahead of plan. A period without figures leaves a gap."""
    pad = 3.0
    inner_w, inner_h = width - 2 * pad, height - 2 * pad

    def at(x: float, y: float) -> tuple[str, str]:
        return _n(pad + x * inner_w), _n(pad + (1 - min(max(y, 0.0), 1.0)) * inner_h)

    x0, y0 = at(0, 0)
    x1, y1 = at(1, 1)
    body = (f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fafafa"/>'
            f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#bdbdbd" '
            f'stroke-dasharray="3 2" stroke-width="1"/>')
    runs: list[list[tuple[str, str]]] = [[]]
    for x, y in points:
        if y is None:
            runs.append([])
        else:
            runs[-1].append(at(x, y))
    for run in runs:
        if len(run) > 1:
            coords = " ".join(f"{px},{py}" for px, py in run)
            body += (f'<polyline points="{coords}" fill="none" stroke="{BAR}" '
                     f'stroke-width="2"/>')
        for px, py in run:
            body += f'<circle cx="{px}" cy="{py}" r="2.5" fill="{BAR}"/>'
    return _svg(width, height, label, body, "spark")
