"""Fill Vietnamese translations into .po catalogues from a JSON file {msgid: msgstr}.

Usage: python scripts/po_fill.py translations.json src/boiduong/*/locale/vi/LC_MESSAGES/django.po
Then check: python scripts/po_fill.py --check src/boiduong/*/locale/vi/LC_MESSAGES/django.po
"""

import json
import sys

import polib


def main(argv: list[str]) -> int:
    if argv[0] == "--check":
        missing = 0
        for path in argv[1:]:
            for entry in polib.pofile(path):
                if entry.obsolete:
                    continue
                if not entry.msgstr and not any(entry.msgstr_plural.values()) or entry.fuzzy:
                    print(f"{path}: untranslated or fuzzy: {entry.msgid!r}")
                    missing += 1
        return 1 if missing else 0
    with open(argv[0], encoding="utf-8") as handle:
        memory = json.load(handle)
    for path in argv[1:]:
        po = polib.pofile(path)
        for entry in po:
            if entry.msgid in memory and (not entry.msgstr or entry.fuzzy):
                value = memory[entry.msgid]
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: value}
                else:
                    entry.msgstr = value
                if entry.fuzzy:
                    entry.flags.remove("fuzzy")
        po.save(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
