"""Charts as inline SVG geometry computed on the server: no chart library, no script, nothing fetched."""

from __future__ import annotations

from dataclasses import dataclass

from civility.services.stats import BINS, DayCount, day_label


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    css: str
    title: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    labels: list[Label]
    gridlines: list[tuple[float, str]]


def decisions_per_day(days: list[DayCount], width: int = 760, height: int = 220) -> Chart:
    left, bottom, top = 36, 28, 10
    plot_h = height - bottom - top
    peak = max((d.total for d in days), default=0) or 1
    step = (width - left - 8) / max(len(days), 1)
    rects, labels = [], []
    for i, day in enumerate(days):
        x = left + i * step + step * 0.15
        y = height - bottom
        for count, css in ((day.approve, "c-approve"), (day.review, "c-review"), (day.reject, "c-reject")):
            if count:
                h = plot_h * count / peak
                y -= h
                rects.append(Rect(x, y, step * 0.7, h, css, f"{day.day}: {count} {css[2:]}"))
        if i % max(1, len(days) // 8) == 0 or i == len(days) - 1:
            labels.append(Label(x + step * 0.35, height - 10, day_label(day.day)))
    grid = [(height - bottom - plot_h * f, str(round(peak * f))) for f in (0.0, 0.5, 1.0)]
    return Chart(width, height, rects, labels, grid)


def histogram(bins: list[int], width: int = 240, height: int = 70) -> Chart:
    peak = max(bins, default=0) or 1
    step = width / BINS
    rects = []
    for i, count in enumerate(bins):
        h = (height - 14) * count / peak
        css = "c-reject" if i >= 8 else "c-review" if i >= 5 else "c-approve"
        rects.append(Rect(i * step + 1, height - 14 - h, step - 2, h, css, f"{i / BINS:.1f}–{(i + 1) / BINS:.1f}: {count}"))
    labels = [Label(0, height - 2, "0", "start"), Label(width / 2, height - 2, "0.5"), Label(width, height - 2, "1", "end")]
    return Chart(width, height, rects, labels, [])


def horizontal_bars(items: list[tuple[str, int]], width: int = 520, row: int = 24) -> Chart:
    peak = max((n for _, n in items), default=0) or 1
    label_w = 190
    rects, labels = [], []
    for i, (name, count) in enumerate(items):
        y = i * row + 4
        w = (width - label_w - 50) * count / peak
        rects.append(Rect(label_w, y, max(w, 1), row - 8, "c-reason", f"{name}: {count}"))
        labels.append(Label(label_w - 8, y + row / 2, name, "end"))
        labels.append(Label(label_w + w + 6, y + row / 2, str(count), "start"))
    return Chart(width, max(row * len(items) + 8, row), rects, labels, [])
