"""Home-page cards: each app may offer `home_cards(request) -> list[dict]` in its home.py.

A card is a dict with keys: title, icon (a Bootstrap icon name), stat (a number or None),
rows (list of {label, url, note}), empty (text when there are no rows: say honestly that
there is nothing yet), link and link_label.
"""

from importlib import import_module

PROVIDERS = ["orgs", "plans", "people", "events", "accounts"]


def cards_for(request) -> list[dict]:
    cards = []
    for app in PROVIDERS:
        try:
            module = import_module(f"boiduong.{app}.home")
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith(f"boiduong.{app}"):
                raise
            continue
        cards.extend(module.home_cards(request))
    return cards
