"""Geometry of the pictures the pages draw as inline SVG: a case's timeline and status charts.

Only numbers are computed here; the templates (`web/_timeline.html`,
`web/_bars.html`) draw them, so every text is escaped and translated there.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats

from web import vocabulary

WIDTH = 960
LANE_HEIGHT = 56
LEFT = 130  # room for the lane names
RIGHT = 30
TOP = 20
AXIS_HEIGHT = 36


@dataclass
class Mark:
    x: float
    y: float
    event: Any
    title: str
    text: str
    text_y: float
    tone: str


@dataclass
class Lane:
    name: str
    y: float
    marks: list[Mark] = field(default_factory=list)


@dataclass
class Tick:
    x: float
    text: str


@dataclass
class Timeline:
    width: int
    height: int
    axis_y: float
    lanes: list[Lane]
    ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT


def _ticks(first: datetime.date, last: datetime.date, x_of) -> list[Tick]:
    if (last - first).days > 3 * 365:
        step_years = max(1, (last.year - first.year) // 8)
        years = range(first.year + 1, last.year + 1, step_years)
        return [Tick(x_of(datetime.date(y, 1, 1)), str(y)) for y in years]
    ticks = []
    day = datetime.date(first.year, first.month, 1)
    months = (last.year - first.year) * 12 + last.month - first.month
    step = max(1, months // 8)
    while day <= last:
        if day >= first:
            ticks.append(Tick(x_of(day), formats.date_format(day, "YEAR_MONTH_FORMAT")))
        month = day.month - 1 + step
        day = datetime.date(day.year + month // 12, month % 12 + 1, 1)
    return ticks


def timeline(events: Iterable[Any], subject_labels: dict[Any, str]) -> Timeline | None:
    """Place each event on a date axis, one lane per kind of record; None when there are none."""
    events = sorted(events, key=lambda e: (e.effective_date, e.seq))
    if not events:
        return None
    first, last = events[0].effective_date, events[-1].effective_date
    span = max((last - first).days, 1)
    first_pad = first - datetime.timedelta(days=max(span // 40, 1))
    last_pad = last + datetime.timedelta(days=max(span // 40, 1))
    full = (last_pad - first_pad).days

    def x_of(day: datetime.date) -> float:
        return round(LEFT + (day - first_pad).days / full * (WIDTH - LEFT - RIGHT), 1)

    lanes: dict[str, Lane] = {}
    for event in events:
        lane = lanes.get(event.resource)
        if lane is None:
            lane = lanes[event.resource] = Lane(
                vocabulary.resource_term(event.resource),
                TOP + len(lanes) * LANE_HEIGHT + LANE_HEIGHT / 2,
            )
        what = event.type.split(".", 1)[1]
        n = len(lane.marks)
        subject = subject_labels.get(event.subject_id, "")
        day = formats.date_format(event.effective_date, "DATE_FORMAT")
        lane.marks.append(
            Mark(
                x=x_of(event.effective_date),
                y=lane.y,
                event=event,
                title=f"{day}: {vocabulary.resource_term(event.resource)} {vocabulary.term(what)}"
                + (f" — {subject}" if subject else "")
                + (f" — {event.note}" if event.note else ""),
                # Creations crowd the axis on the day they were entered: dot only, no label.
                text="" if what == "created" else vocabulary.term(what),
                # Alternate labels above and below the line so neighbours overlap less.
                text_y=lane.y + (-12 if n % 2 else 20),
                tone=vocabulary.tone(event.to_status or what),
            )
        )
    axis_y = TOP + len(lanes) * LANE_HEIGHT + 6
    return Timeline(
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        axis_y=axis_y,
        lanes=list(lanes.values()),
        ticks=_ticks(first_pad, last_pad, x_of),
    )


@dataclass
class Bar:
    key: str
    text: str
    count: int
    y: float
    width: float
    tone: str


@dataclass
class Bars:
    width: int
    height: int
    bars: list[Bar]
    total: int
    label_width: int = 130


def bars(counts: dict[str, int], order: Iterable[str]) -> Bars:
    """A horizontal bar per status, in workflow order, zeros left out."""
    rows = [(k, counts[k]) for k in order if counts.get(k)]
    top = max([c for _, c in rows], default=1)
    width, label_width, height = 420, 130, 26
    return Bars(
        width=width,
        height=max(len(rows), 1) * height + 4,
        bars=[
            Bar(
                key=k,
                text=vocabulary.term(k),
                count=c,
                y=i * height + 2,
                width=round(c / top * (width - label_width - 40), 1),
                tone=vocabulary.tone(k),
            )
            for i, (k, c) in enumerate(rows)
        ],
        total=sum(c for _, c in rows),
        label_width=label_width,
    )
