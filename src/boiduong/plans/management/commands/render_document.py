"""`boiduong render_document "361/KH-BGDĐT" --format docx|pdf --output FILE`."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from boiduong.plans import rendering
from boiduong.plans.models import Document


class Command(BaseCommand):
    help = "Write a document in the Nghị định 30/2020 format as DOCX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("code", help='number and notation, e.g. "361/KH-BGDĐT"')
        parser.add_argument("--format", choices=["docx", "pdf"], default="docx")
        parser.add_argument("--output", help="file to write (default: <code>.<format>)")
        parser.add_argument("--year", type=int, help="year, when the number recurs across years")

    def fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, code, format, output, year, **options):
        documents = Document.objects.filter(code=code.strip())
        if year:
            documents = documents.filter(year=year)
        found = list(documents[:2])
        if not found:
            self.fail(_("No document numbered %(code)s.") % {"code": code})
        if len(found) > 1:
            self.fail(
                _("%(code)s exists in several years; choose one with --year.") % {"code": code}
            )
        document = found[0]
        try:
            content = (
                rendering.document_pdf(document)
                if format == "pdf"
                else rendering.document_docx(document)
            )
        except rendering.NotRenderable as exc:
            self.fail(str(exc))
        target = Path(output or rendering.file_name(document, format))
        target.write_bytes(content)
        self.stdout.write(
            _("Wrote %(file)s (%(size)s bytes).") % {"file": target, "size": len(content)}
        )
