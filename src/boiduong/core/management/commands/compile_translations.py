from pathlib import Path

import polib
from django.core.management.base import BaseCommand

PACKAGE_DIR = Path(__file__).resolve().parents[3]


class Command(BaseCommand):
    help = "Compile every app's .po catalogue to .mo (pure Python: no gettext tools needed)."

    def handle(self, *args, **options):
        count = 0
        for po_path in sorted(PACKAGE_DIR.glob("*/locale/*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"Compiled {count} translation catalogue(s).")
