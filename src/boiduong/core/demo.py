"""The demo world, built from the seeds by `boiduong setup_demo`.

Each app may offer `boiduong.<app>.demo.build(*, log)`; they run in this order, each idempotent
(a second run changes nothing).
"""

from importlib import import_module

STEPS = ["orgs", "accounts", "people", "plans", "events"]
DEMO_PASSWORD = "Demo@2025"


def build(*, log=print) -> None:
    for app in STEPS:
        try:
            module = import_module(f"boiduong.{app}.demo")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(f"boiduong.{app}"):
                raise
            continue
        module.build(log=log)
