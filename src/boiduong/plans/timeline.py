"""A plan's tasks on a month grid (a Gantt chart), laid out on the server.

Positions are percentages of the chart's width, so the page draws the chart with plain HTML and
CSS (readable without JavaScript, printable, and the task names stay real text).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from .models import PlanTask


@dataclass
class Span:
    label: str
    left: float
    width: float


@dataclass
class Bar:
    task: PlanTask
    due: str
    left: float
    width: float
    is_milestone: bool = False  # only an end date ("Trước 30/6/2023")
    is_open: bool = False  # only a start date ("Từ tháng 9/2021")


@dataclass
class Timeline:
    start: dt.date
    end: dt.date
    years: list[Span]
    months: list[Span]
    bars: list[Bar]
    undated: list[PlanTask]
    today: dt.date
    today_left: float | None  # None when today is outside the chart
    today_side: str  # "before", "inside" or "after"


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def build_timeline(tasks: list[PlanTask], *, today: dt.date) -> Timeline | None:
    """The chart of `tasks` (annotated with `due` or not), or None when no task has a date."""
    dated = [t for t in tasks if t.starts_on or t.ends_on]
    if not dated:
        return None
    firsts = [day for t in dated if (day := t.starts_on or t.ends_on) is not None]
    lasts = [day for t in dated if (day := t.ends_on or t.starts_on) is not None]
    first, last = min(firsts), max(lasts)
    start = first.replace(day=1)
    end = _month_end(last)
    total = (end - start).days + 1

    def pct(day: dt.date) -> float:
        return round(100 * (day - start).days / total, 3)

    months: list[Span] = []
    years: list[Span] = []
    cursor = start
    while cursor <= end:
        following = _next_month(cursor)
        months.append(Span(str(cursor.month), pct(cursor), pct(following) - pct(cursor)))
        if not years or years[-1].label != str(cursor.year):
            years.append(Span(str(cursor.year), pct(cursor), 0.0))
        years[-1].width = round(pct(following) - years[-1].left, 3)
        cursor = following

    bars = []
    for task in dated:
        due = getattr(task, "due", None) or task.due_state(today)
        if task.starts_on and task.ends_on:
            left = pct(task.starts_on)
            bars.append(Bar(task, due, left, pct(task.ends_on + dt.timedelta(days=1)) - left))
        elif task.ends_on:
            bars.append(Bar(task, due, pct(task.ends_on), 0.0, is_milestone=True))
        else:
            assert task.starts_on is not None
            left = pct(task.starts_on)
            bars.append(Bar(task, due, left, 100 - left, is_open=True))

    if today < start:
        side, today_left = "before", None
    elif today > end:
        side, today_left = "after", None
    else:
        side, today_left = "inside", pct(today)
    return Timeline(
        start=start,
        end=end,
        years=years,
        months=months,
        bars=bars,
        undated=[t for t in tasks if not (t.starts_on or t.ends_on)],
        today=today,
        today_left=today_left,
        today_side=side,
    )
