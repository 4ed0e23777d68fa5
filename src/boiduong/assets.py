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
}


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


def main() -> int:
    install_packages()
    copy_vendor_files()
    print(f"Front-end assets ready in {VENDOR_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
