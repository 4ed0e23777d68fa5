"""The province map: data (roll-up, periods, islands), the tag's HTML and the outline decoder."""

import datetime as dt
import json
import re

import pytest
from django.template import Context, Template

from boiduong.assets import topology_feature
from boiduong.core.maps import province_map
from boiduong.orgs.models import Province

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2021, 4, 7)


def _values(layer):
    return {p["code"]: p["value"] for p in layer["points"] if p["value"]}


def test_old_codes_roll_up_into_the_34_and_keep_a_layer_of_the_63():
    data = province_map({"95": 3, "96": 2, "01": 5}, legend="Học viên", on=BEFORE)
    new, old = data["layers"]
    assert (new["key"], len(new["points"])) == ("34", 34)
    assert _values(new) == {"96": 5, "01": 5}  # Bạc Liêu + Cà Mau -> Cà Mau (2025)
    assert (old["key"], len(old["points"])) == ("63", 63)
    assert _values(old) == {"95": 3, "96": 2, "01": 5}
    assert data["total"] == 10


def test_codes_after_the_merger_mean_the_34_and_there_is_no_63_layer():
    data = province_map({"24": 4}, legend="x", on=dt.date(2026, 1, 1))
    assert [layer["key"] for layer in data["layers"]] == ["34"]
    point = next(p for p in data["layers"][0]["points"] if p["code"] == "24")
    assert (point["name"], point["value"]) == ("Bắc Ninh", 4)  # 24 was Bắc Giang before


def test_province_rows_and_mixed_periods_draw_only_the_roll_up():
    bac_lieu = Province.objects.get(code="95", valid_from__isnull=True)
    ca_mau_2025 = Province.objects.get(code="96", valid_from__isnull=False)
    data = province_map({bac_lieu: 1, ca_mau_2025: 2}, legend="x")
    assert [layer["key"] for layer in data["layers"]] == ["34"]
    assert _values(data["layers"][0]) == {"96": 3}


def test_every_province_has_a_centre_inside_viet_nam():
    data = province_map({}, legend="x", on=BEFORE)
    for point in data["layers"][0]["points"]:
        assert 8 < point["lat"] < 23.5 and 102 < point["lon"] < 110, point


def test_hoang_sa_and_truong_sa_are_labelled(settings):
    settings.LANGUAGE_CODE = "vi"
    from django.utils import translation

    with translation.override("vi"):
        data = province_map({}, legend="x")
    assert [(i["label"], i["lat"], i["lon"]) for i in data["islands"]] == [
        ("Quần đảo Hoàng Sa (Việt Nam)", 16.5, 112.0),
        ("Quần đảo Trường Sa (Việt Nam)", 10.0, 114.5),
    ]


def test_tag_renders_local_scripts_and_the_data():
    html = Template('{% load maps %}{% province_map values legend="Học viên" %}').render(
        Context({"values": {"01": 7}})
    )
    assert "vendor/leaflet/leaflet.js" in html and "boiduong/province-map.js" in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html)  # nothing from a CDN
    data_id = re.search(r'data-province-map="([^"]+)"', html).group(1)
    payload = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', html)
    data = json.loads(payload.group(1))
    assert data["legend"] == "Học viên" and data["outline"].endswith("vietnam-50m.geojson")


def test_topology_decoding_handles_deltas_reversed_arcs_and_shared_points():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [100, 10]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
    }
    square = {"type": "Polygon", "arcs": [[0, 1]], "id": "x", "properties": {}}
    feature = topology_feature(topology, square)
    assert feature["geometry"]["coordinates"] == [
        [[100.0, 10.0], [101.0, 10.0], [101.0, 11.0], [100.0, 10.0]]
    ]
    reverse = {"type": "MultiPolygon", "arcs": [[[~1, ~0]]]}
    ring = topology_feature(topology, reverse)["geometry"]["coordinates"][0][0]
    assert ring == [[100.0, 10.0], [101.0, 11.0], [101.0, 10.0], [100.0, 10.0]]
