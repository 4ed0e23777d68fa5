"""Install the front-end assets: `python -m boiduong.assets`.

The packages and their exact versions are pinned, with sha512 integrity, in the project's
package-lock.json (npm's lock file). With npm on the machine, `npm ci` installs them; without
it (a machine with only Python), the same tarballs are fetched from the npm registry and
checked against the lock's integrity before unpacking. The files pages need are then copied
into var/vendor, which Django serves as static "vendor/…". Nothing is loaded from a CDN.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent
NODE_MODULES = PROJECT_DIR / "node_modules"
VENDOR_DIR = Path(os.environ.get("BOIDUONG_VAR_DIR", PROJECT_DIR / "var")) / "vendor"

# node_modules path -> destination under var/vendor
FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts": "bootstrap-icons/fonts",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "chart.js/dist/chart.umd.min.js": "chartjs/chart.umd.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "tom-select/dist/js/tom-select.base.min.js": "tom-select/tom-select.base.min.js",
    "tom-select/dist/css/tom-select.bootstrap5.min.css": "tom-select/tom-select.bootstrap5.min.css",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
}

# Natural Earth's 1:50m country polygons (world-atlas, TopoJSON). The maps draw Vietnam alone,
# without tiles, so only its outline is kept: decoded here to GeoJSON (about 1% of the file).
WORLD_ATLAS = "world-atlas/countries-50m.json"
OUTLINES = {"704": "world-atlas/vietnam-50m.geojson"}  # ISO 3166-1 numeric -> destination


def _registry() -> str:
    return os.environ.get("NPM_CONFIG_REGISTRY", "https://registry.npmjs.org").rstrip("/")


def _locked_packages() -> dict[str, dict]:
    lock = json.loads((PROJECT_DIR / "package-lock.json").read_text())
    return {k: v for k, v in lock["packages"].items() if k.startswith("node_modules/")}


def _installed(path: str, meta: dict) -> bool:
    manifest = PROJECT_DIR / path / "package.json"
    return manifest.exists() and json.loads(manifest.read_text()).get("version") == meta["version"]


def _fetch(path: str, meta: dict) -> None:
    name = path.removeprefix("node_modules/")
    url = (
        meta.get("resolved")
        or f"{_registry()}/{name}/-/{name.split('/')[-1]}-{meta['version']}.tgz"
    )
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (https registry)
        data = response.read()
    algorithm, expected = meta["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"Integrity check failed for {name}@{meta['version']}")
    target = PROJECT_DIR / path
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            if not member.isfile():
                continue
            relative = Path(*Path(member.name).parts[1:])  # strip "package/"
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(archive.extractfile(member).read())


def install_packages() -> None:
    packages = _locked_packages()
    missing = {p: m for p, m in packages.items() if not _installed(p, m)}
    if not missing:
        return
    if shutil.which("npm") and not os.environ.get("BOIDUONG_NO_NPM"):
        subprocess.run(
            ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=PROJECT_DIR,
            check=True,
        )
        return
    for path, meta in missing.items():
        print(f"  fetching {path.removeprefix('node_modules/')}@{meta['version']}")
        _fetch(path, meta)


def copy_vendor_files() -> None:
    for source, destination in FILES.items():
        src, dst = NODE_MODULES / source, VENDOR_DIR / destination
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)


def topology_feature(topology: dict, geometry: dict) -> dict:
    """One TopoJSON geometry as a GeoJSON feature (what topojson-client's `feature` does for
    polygons): arcs are delta-encoded and quantised; a negative index ~i is arc i reversed;
    consecutive arcs of a ring share their joining point."""
    scale = topology.get("transform", {}).get("scale", [1, 1])
    translate = topology.get("transform", {}).get("translate", [0, 0])

    def arc(index: int) -> list[list[float]]:
        x = y = 0
        points = []
        for dx, dy in topology["arcs"][~index if index < 0 else index]:
            if "transform" in topology:
                x, y = x + dx, y + dy
            else:
                x, y = dx, dy
            points.append(
                [round(x * scale[0] + translate[0], 5), round(y * scale[1] + translate[1], 5)]
            )
        return points[::-1] if index < 0 else points

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for i, index in enumerate(indexes):
            points.extend(arc(index)[1 if i else 0 :])
        return points

    kind = geometry["type"]
    if kind == "Polygon":
        coordinates = [ring(r) for r in geometry["arcs"]]
    elif kind == "MultiPolygon":
        coordinates = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]  # type: ignore[misc]
    else:
        raise ValueError(f"Unsupported geometry type {kind}")
    return {
        "type": "Feature",
        "id": geometry.get("id"),
        "properties": geometry.get("properties", {}),
        "geometry": {"type": kind, "coordinates": coordinates},
    }


def write_outlines() -> None:
    topology = json.loads((NODE_MODULES / WORLD_ATLAS).read_text())
    geometries = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    for country, destination in OUTLINES.items():
        feature = topology_feature(topology, geometries[country])
        target = VENDOR_DIR / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(feature, separators=(",", ":")))


def main() -> int:
    install_packages()
    copy_vendor_files()
    write_outlines()
    print(f"Front-end assets ready in {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
