"""A line chart of stored bytes per day, drawn on the server as SVG (no script, no CDN).

The chart module only computes coordinates; templates/ui/_growth_chart.html draws them.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.template.defaultfilters import filesizeformat

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 12, 28
COLOURS = ["#0b5fc4", "#d9822b", "#2f9e44", "#c2255c", "#7048e8", "#1098ad", "#e8590c", "#5c940d"]
MAX_SERIES = len(COLOURS)


@dataclass
class Series:
    name: str
    colour: str
    points: str  # "x,y x,y ..." for <polyline>
    dots: list[tuple[float, float]]  # the same points, marked (one day alone is a dot)
    last: int


@dataclass
class Chart:
    series: list[Series]
    y_ticks: list[tuple[float, str]]
    x_ticks: list[tuple[float, str, str]]  # x, text, text-anchor
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM


def growth_chart(history: dict[str, list[tuple[date, int]]], today: date, days: int) -> Chart:
    """The largest repositories' stored bytes over the last `days` days."""
    start = today - timedelta(days=days)
    largest = sorted(history.items(), key=lambda item: -(item[1][-1][1] if item[1] else 0))
    shown = [(name, points) for name, points in largest if points][:MAX_SERIES]
    peak = max((value for _, points in shown for _, value in points), default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - start).days / days, 1)

    def y(value: int) -> float:
        return round(TOP + plot_h * (1 - value / peak), 1)

    series = []
    for index, (name, points) in enumerate(shown):
        dots = [(x(day), y(value)) for day, value in points]
        line = " ".join(f"{dot_x},{dot_y}" for dot_x, dot_y in dots)
        series.append(Series(name, COLOURS[index], line, dots, points[-1][1]))
    y_ticks = [(y(value), filesizeformat(value)) for value in (0, peak // 2, peak)]
    x_ticks = [
        (x(day), day.strftime("%b %d"), anchor)
        for day, anchor in (
            (start, "start"),
            (start + timedelta(days // 2), "middle"),
            (today, "end"),
        )
    ]
    return Chart(series, y_ticks, x_ticks)
