"""Charts of the report as inline SVG, drawn on the server: no script, no network, and
readable in black and white (series differ by pattern, dash and marker, and carry labels).
Plain Python: the numbers in, the markup out; every text is escaped here."""

from __future__ import annotations

from html import escape
from itertools import count

_ids = count(1)

WIDTH, HEIGHT = 640, 255
#: The scale is written on both sides: a phone shows the right end first (the newest months).
#: Under the plot: the months, the year under the first month and each January, the legend.
LEFT, RIGHT, TOP, BOTTOM = 52, 48, 28, 63
#: Text size in the drawing's units. The page never draws a chart narrower than 600 px
#: (reports.css: a phone scrolls it sideways), so every text stays at 12 px or more.
FONT = 13
#: Between the month and the year under it.
LINE = FONT + 3
#: The category chart is narrower: it is never scrolled, and at 360 px its text is 13 px.
HBAR_WIDTH = 360
#: A month without data: a light band with dark grey words, 6.7:1 against it.
_NO_DATA_FILL, _NO_DATA_TEXT = "#f2f2f2", "#555"
#: Fills of the bar series: solid, hatched, dotted (each also in the legend).
_FILLS = ("#333", "url(#{id}-hatch)", "url(#{id}-dots)")
#: Dashes and markers of the line series.
_DASHES = ("", "6 4", "2 3")
_MARKERS = ("circle", "square", "triangle")


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _defs(uid: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="3"/></pattern>'
        f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.3" fill="#333"/></pattern>'
        "</defs>"
    )


def _open(title: str, uid: str, width: int = WIDTH, height: int = HEIGHT) -> str:
    return (
        f'<svg class="report-chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{uid}-t" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}" font-family="sans-serif">'
        f'<title id="{uid}-t">{escape(title)}</title>{_defs(uid)}'
    )


def _axes(labels: list[str], top_value: float, unit: str) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for step in range(5):
        value = top_value * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ccc"/>')
        tick = f"{_number(round(value, 1))}{unit}"
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4.5:.1f}" text-anchor="end">{tick}</text>')
        parts.append(f'<text x="{WIDTH - RIGHT + 4}" y="{y + 4.5:.1f}">{tick}</text>')
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    for n, label in enumerate(labels):
        x = LEFT + slot * (n + 0.5)
        # A label of two lines ("12月\n2025年"): the second is written under the first.
        lines = "".join(
            f'<tspan x="{x:.1f}" dy="{LINE if i else 0}">{escape(line)}</tspan>'
            for i, line in enumerate(label.split("\n"))
        )
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 17}" text-anchor="middle">{lines}</text>')
    return "".join(parts)


def _legend(names: list[str], swatch) -> str:
    """The legend under the plot, ending at its right edge: in sight when a phone opens the
    chart at its newest end."""
    widths = [round(18 + _text_width(name) + 16) for name in names]
    parts, x = [], WIDTH - RIGHT - sum(widths)
    for n, (name, width) in enumerate(zip(names, widths, strict=True)):
        parts.append(swatch(n, x))
        parts.append(f'<text x="{x + 18}" y="{HEIGHT - 7}">{escape(name)}</text>')
        x += width
    return "".join(parts)


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="#fff" stroke="#000"/>'
    if kind == "triangle":
        corners = f"M{x:.1f} {y - 4.5:.1f} L{x + 4.5:.1f} {y + 3.5:.1f} L{x - 4.5:.1f} {y + 3.5:.1f} Z"
        return f'<path d="{corners}" fill="#000"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#000"/>'


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int]]]) -> str:
    """Grouped vertical bars, one group per label, with each bar's number above it."""
    uid = f"c{next(_ids)}"
    top_value = max([v for _, values in series for v in values] + [1])
    top_value = top_value + (-top_value % 4)
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    parts = [_open(title, uid), _axes(labels, top_value, "")]
    for s, (_, values) in enumerate(series):
        fill = _FILLS[s % len(_FILLS)].format(id=uid)
        for n, value in enumerate(values):
            h = plot_h * value / top_value
            x = LEFT + slot * n + slot * 0.1 + bar_w * s
            y = TOP + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{fill}" stroke="#000"/>'
            )
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{value}</text>')

    def swatch(n: int, x: float) -> str:
        fill = _FILLS[n % len(_FILLS)].format(id=uid)
        return f'<rect x="{x}" y="{HEIGHT - 18}" width="14" height="12" fill="{fill}" stroke="#000"/>'

    parts.append(_legend([name for name, _ in series], swatch))
    return "".join(parts) + "</svg>"


def _text_width(text: str) -> float:
    """Roughly: a Chinese character is a square, a Latin letter a little over half of one."""
    return sum(FONT if ord(ch) > 0x2E80 else FONT * 0.6 for ch in text)


def _no_data(months: list[int], slot: float, words: str) -> str:
    """A band over each run of months without a value, with ``words`` in it: a gap that says
    why, so that an empty month is not read as 0 %. Written at the band's newer end (the end a
    phone shows first): across when it fits, else upwards."""
    runs: list[list[int]] = []
    for n in months:
        if runs and runs[-1][-1] == n - 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for run in runs:
        x, width = LEFT + slot * run[0], slot * len(run)
        y = TOP + plot_h / 2
        parts.append(f'<rect x="{x:.1f}" y="{TOP}" width="{width:.1f}" height="{plot_h}" fill="{_NO_DATA_FILL}"/>')
        if width >= _text_width(words) + 12:
            place = f'x="{x + width - 6:.1f}" y="{y + FONT / 3:.1f}" text-anchor="end"'
        else:
            middle = x + width - slot / 2
            place = (
                f'x="{middle:.1f}" y="{y + FONT / 3:.1f}" text-anchor="middle" '
                f'transform="rotate(-90 {middle:.1f} {y:.1f})"'
            )
        parts.append(f'<text {place} fill="{_NO_DATA_TEXT}">{escape(words)}</text>')
    return "".join(parts)


def line_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    unit: str = "%",
    no_data: str = "",
) -> str:
    """Lines on a 0-100 scale (rates in per cent); a month without a value leaves a gap, and a
    month without any series' value is a band saying ``no_data`` (e.g. 无数据)."""
    uid = f"c{next(_ids)}"
    top_value = 100
    plot_h = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    empty = [n for n in range(len(labels)) if all(values[n] is None for _, values in series)]
    parts = [_open(title, uid), _no_data(empty, slot, no_data) if no_data else "", _axes(labels, top_value, unit)]
    for s, (_, values) in enumerate(series):
        dash = _DASHES[s % len(_DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for n, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((LEFT + slot * (n + 0.5), TOP + plot_h - plot_h * float(v) / top_value))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="1.6" '
                    f'stroke-dasharray="{dash}"/>'
                )
        parts.extend(_marker(_MARKERS[s % len(_MARKERS)], x, y) for run in runs for x, y in run)

    def swatch(n: int, x: float) -> str:
        dash = _DASHES[n % len(_DASHES)]
        y = HEIGHT - 12
        line = f'<line x1="{x}" y1="{y}" x2="{x + 14}" y2="{y}" stroke="#000" stroke-dasharray="{dash}"/>'
        return line + _marker(_MARKERS[n % len(_MARKERS)], x + 7, HEIGHT - 12)

    parts.append(_legend([name for name, _ in series], swatch))
    return "".join(parts) + "</svg>"


def hbar_chart(title: str, rows: list[tuple[str, int]]) -> str:
    """Horizontal bars, one per row, the label on the left and the number at the bar's end."""
    uid = f"c{next(_ids)}"
    row_h, label_w = FONT + 12, 120
    height = TOP + row_h * max(len(rows), 1) + 8
    top_value = max([v for _, v in rows] + [1])
    width = HBAR_WIDTH - label_w - 40
    parts = [_open(title, uid, width=HBAR_WIDTH, height=height)]
    for n, (label, value) in enumerate(rows):
        y = TOP + row_h * n
        w = width * value / top_value
        parts.append(f'<text x="{label_w - 6}" y="{y + FONT + 3}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="url(#{uid}-hatch)" stroke="#000"/>'
        )
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + FONT + 3}">{value}</text>')
    return "".join(parts) + "</svg>"
