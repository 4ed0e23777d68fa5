"""A map of Vietnam by province: a circle at each province's centre, sized and coloured by a
figure, on the country's outline — no tile layer, so nothing is fetched from outside the server.

Pages call `province_map(values, legend=…)` (or the `{% province_map %}` tag in `maps`) with a
figure per province. The figures may be keyed by `Province` rows or by GSO codes read on a date;
figures of the 63 provinces before 01/07/2025 are rolled up into the 34 that absorbed them
(`orgs.services.roll_up`), and, when every figure is from before the merger, the map also offers
the 63 as they were. The outline is Natural Earth's country polygon (world-atlas, converted at
install time by `boiduong.assets`); it does not show the Hoàng Sa and Trường Sa archipelagos,
which are labelled at their approximate positions as Vietnamese maps always do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

OUTLINE = "vendor/world-atlas/vietnam-50m.geojson"
# (label, latitude, longitude): approximate centres of the archipelagos.
ISLANDS = [
    (gettext_noop("Hoang Sa archipelago (Viet Nam)"), 16.5, 112.0),
    (gettext_noop("Truong Sa archipelago (Viet Nam)"), 10.0, 114.5),
]
BOUNDS = [[8.2, 102.1], [23.4, 115.2]]


def _point(province, value: float) -> dict[str, Any]:
    return {
        "code": province.code,
        "name": province.name,
        "lat": float(province.latitude) if province.latitude is not None else None,
        "lon": float(province.longitude) if province.longitude is not None else None,
        "value": float(value) if isinstance(value, Decimal) else value,
    }


def province_map(
    values: Mapping[Any, float | int], *, legend: str, on: dt.date | None = None
) -> dict[str, Any]:
    """The data a province map draws (JSON-serialisable).

    `values` maps a `Province` or a GSO code to a figure; codes are read as the provinces valid
    on `on` (default today), since a code can mean different provinces before and after the
    2025 merger. Provinces without a figure are drawn as small grey dots (zero).
    """
    from boiduong.orgs.models import Province
    from boiduong.orgs.services import LAST_DAY_BEFORE_MERGER, MERGER_DAY, roll_up

    provinces = list(Province.objects.all())
    old = {p.code: p for p in provinces if p.valid_to == LAST_DAY_BEFORE_MERGER}
    new = {p.code: p for p in provinces if p.valid_from == MERGER_DAY}
    day = on or timezone.localdate()
    by_code = new if day >= MERGER_DAY else old

    old_values: dict[str, float] = {}
    new_values: dict[str, float] = {}
    for key, value in values.items():
        province = key if isinstance(key, Province) else by_code.get(str(key))
        if province is None or not value:
            continue
        target = new_values if province.valid_from == MERGER_DAY else old_values
        target[province.code] = target.get(province.code, 0) + value
    only_old = bool(old_values) and not new_values

    for code, value in roll_up(old_values).items():
        new_values[code] = new_values.get(code, 0) + value
    layers = [
        {
            "key": "34",
            "label": _("34 provinces (from 1/7/2025)"),
            "points": [_point(p, new_values.get(code, 0)) for code, p in sorted(new.items())],
        }
    ]
    if only_old:  # the map as it was, besides the roll-up
        layers.append(
            {
                "key": "63",
                "label": _("63 provinces (before 1/7/2025)"),
                "points": [_point(p, old_values.get(code, 0)) for code, p in sorted(old.items())],
            }
        )
    return {
        "legend": legend,
        "outline": static(OUTLINE),
        "bounds": BOUNDS,
        "layers": layers,
        "islands": [{"label": _(label), "lat": lat, "lon": lon} for label, lat, lon in ISLANDS],
        "total": sum(new_values.values()),
        "labels": {
            "none": _("none"),
            "attribution": _("Outline: Natural Earth (public domain), world-atlas"),
        },
    }
