"""`{% province_map values legend="…" on=date %}`: a map of Vietnam by province (core.maps)."""

from __future__ import annotations

import uuid

from django import template

from boiduong.core.maps import province_map as province_map_data

register = template.Library()


@register.inclusion_tag("core/_province_map.html")
def province_map(values, legend="", on=None, height="28rem"):
    map_id = f"province-map-{uuid.uuid4().hex[:8]}"
    return {
        "map": province_map_data(values or {}, legend=str(legend), on=on),
        "map_id": map_id,
        "data_id": f"{map_id}-data",
        "height": height,
    }
