"""Trend charts as inline SVG, drawn on the server: no script, no CDN, readable without
JavaScript and printable. Every point carries a <title> with its exact value.

Each chart is drawn twice, for a card as wide as half a desktop page and for a phone's card;
the stylesheet shows the one that fits its card (a container query), so the chart is never
cut off and its 12-unit labels are drawn at about 12 px on either."""

import unicodedata
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Geometry:
    name: str
    width: int
    height: int


WIDE = Geometry("wide", 480, 210)
PHONE = Geometry("phone", 320, 220)
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 26, 28


@dataclass(frozen=True)
class Chart:
    title: str
    drawings: tuple[SafeString, ...]

    @property
    def svg(self) -> SafeString:
        return mark_safe("".join(self.drawings))  # noqa: S308 - each drawing is escaped where it is drawn


def _text_width(text: str) -> int:
    """Width in SVG units of a 12-unit label: a Chinese character is a full em, Latin about 7."""
    return sum(12 if unicodedata.east_asian_width(c) in "WF" else 7 for c in text)


def _frame(g: Geometry, title: str, body: list[str], labels: list[str],
           y_ticks: list[tuple[float, str]]) -> SafeString:
    plot_h = g.height - TOP - BOTTOM
    parts = [
        f'<svg class="chart {g.name}" viewBox="0 0 {g.width} {g.height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for fraction, text in y_ticks:
        y = TOP + plot_h * (1 - fraction)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{g.width - RIGHT}" y2="{y:.1f}" stroke="#dadce0"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#5f6368">'
                     f"{escape(text)}</text>")
    n = len(labels)
    if n:
        for index in sorted({0, n // 2, n - 1}):
            anchor = "start" if index == 0 and n > 1 else "end" if index == n - 1 and n > 1 else "middle"
            x = LEFT if anchor == "start" else g.width - RIGHT if anchor == "end" else _x(g, index, n)
            parts.append(f'<text x="{x:.1f}" y="{g.height - 8}" text-anchor="{anchor}" font-size="12" '
                         f'fill="#5f6368">{escape(labels[index])}</text>')
    parts += body
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _x(g: Geometry, index: int, n: int) -> float:
    span = g.width - LEFT - RIGHT
    return LEFT + span * (index + 0.5) / n


def _rate_drawing(g: Geometry, title: str, labels: list[str], values: list[float | None]) -> SafeString:
    plot_h = g.height - TOP - BOTTOM
    body, segment = [], []
    n = len(values)

    def flush():
        if len(segment) > 1:
            body.append(f'<polyline fill="none" stroke="#a61b1b" stroke-width="2" points="{" ".join(segment)}"/>')
        segment.clear()

    for index, value in enumerate(values):
        if value is None:
            flush()
            continue
        x, y = _x(g, index, n), TOP + plot_h * (1 - value)
        segment.append(f"{x:.1f},{y:.1f}")
        body.append(format_html('<circle cx="{}" cy="{}" r="3" fill="#a61b1b"><title>{}: {}%</title></circle>',
                                f"{x:.1f}", f"{y:.1f}", labels[index], f"{value * 100:.1f}"))
    flush()
    return _frame(g, title, body, labels, [(0, "0%"), (0.5, "50%"), (1, "100%")])


def rate_chart(title: str, labels: list[str], values: list[float | None]) -> Chart:
    """A line of rates (0…1) per bucket; a bucket without a value breaks the line."""
    return Chart(title, tuple(_rate_drawing(g, title, labels, values) for g in (WIDE, PHONE)))


def _bar_drawing(g: Geometry, title: str, labels: list[str], series: list[tuple[str, list[int], str]]) -> SafeString:
    plot_h = g.height - TOP - BOTTOM
    n = len(labels)
    totals = [sum(values[i] for _name, values, _colour in series) for i in range(n)]
    top = max(totals, default=0) or 1
    width = max(1.0, (g.width - LEFT - RIGHT) / max(n, 1) * 0.7)
    body = []
    for index in range(n):
        base = 0
        for name, values, colour in series:
            value = values[index]
            if value:
                height = plot_h * value / top
                y = TOP + plot_h * (1 - (base + value) / top)
                body.append(format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {} {}</title></rect>',
                    f"{_x(g, index, n) - width / 2:.1f}", f"{y:.1f}", f"{width:.1f}", f"{height:.1f}", colour,
                    labels[index], name, value))
            base += value
    legend_x = LEFT
    for name, _values, colour in series:
        body.append(format_html('<rect x="{}" y="4" width="10" height="10" fill="{}"/>'
                                '<text x="{}" y="13" font-size="12" fill="#1d1d1f">{}</text>',
                                legend_x, colour, legend_x + 14, name))
        legend_x += 14 + _text_width(str(name)) + 12
    return _frame(g, title, body, labels, [(0, "0"), (0.5, f"{top / 2:g}"), (1, str(top))])


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int], str]]) -> Chart:
    """Stacked bars per bucket; ``series`` is [(name, values, colour)], bottom first."""
    return Chart(title, tuple(_bar_drawing(g, title, labels, series) for g in (WIDE, PHONE)))
