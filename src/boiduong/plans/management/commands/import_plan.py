"""`boiduong import_plan FILE [--dry-run] [--format json]`: import an issued document.

A Kế hoạch becomes a plan (document, texts, tasks); any other official document (a decision
with its "Căn cứ …" and "Điều 1.", a công văn "5807/BGDĐT-CNTT" …) becomes a document without
a plan, filling in its placeholder when it was cited before. A file that is not a readable
official document, or a document already in the system (without --replace), gets a Vietnamese
message on stderr and exit status 2, never a traceback. `--format json` prints the parsed
document (the parser's JSON keys) plus what the import would create (--dry-run) or created.

`--programme` and `--parent` place a plan in the tree; a decision given either is recorded as
a plan without a task table, and a decision that already carries a plan keeps it (also with
--replace): the output says which. For a công văn, a report … they are not applied: a warning
says so and `options_not_applied` lists them in the JSON.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from boiduong.plans import services
from boiduong.plans.importing import plan_import_preview
from boiduong.plans.models import Plan, Programme
from boiduong.plans.parsing import DocumentParseError, extract_text, parse_document

EXIT_REFUSED = 2


class Command(BaseCommand):
    help = (
        "Import an issued plan (Kế hoạch) or another official document (decision, công văn …) "
        "from a .txt, .md or .docx file, all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="read and check, write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--programme",
            help="code of the programme the plan belongs to (a decision is recorded as a plan "
            "under it; not applied to a công văn, a report …)",
        )
        parser.add_argument(
            "--parent",
            help="number of the plan it carries out, e.g. 51/KH-BGDĐT (same rules as --programme)",
        )
        parser.add_argument(
            "--replace", action="store_true", help="import again a document already in the system"
        )

    def fail(self, message: str) -> None:
        self.stderr.write(_("Not imported: %(reason)s") % {"reason": message})
        sys.exit(EXIT_REFUSED)

    def handle(self, *args, file, dry_run, format, programme, parent, replace, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.fail(
                _("cannot open %(file)s (%(error)s).") % {"file": file, "error": exc.strerror}
            )
        try:
            parsed = parse_document(extract_text(data, path.name))
        except DocumentParseError as exc:
            self.fail(str(exc))
        programme_obj = parent_obj = None
        if programme:
            programme_obj = Programme.objects.filter(code=programme).first()
            if programme_obj is None:
                self.fail(_("there is no programme with code %(code)s.") % {"code": programme})
        if parent:
            parent_obj = (
                Plan.objects.filter(document__code=parent).order_by("-document__year").first()
            )
            if parent_obj is None:
                self.fail(_("there is no plan numbered %(code)s.") % {"code": parent})
        preview = plan_import_preview(
            parsed=parsed, programme=programme_obj, parent=parent_obj, replace=replace
        )
        if not preview.ok:
            self.fail(preview.errors[0])
        plan = document = None
        if not dry_run:
            try:
                if preview.is_plan:
                    plan = services.plan_import(
                        actor=None,
                        parsed=parsed,
                        programme=programme_obj,
                        parent=parent_obj,
                        replace=replace,
                        source_name=path.name,
                        source_data=data,
                    )
                    document = plan.document
                else:
                    document = services.document_import(
                        actor=None,
                        parsed=parsed,
                        programme=programme_obj,
                        parent=parent_obj,
                        replace=replace,
                        source_name=path.name,
                        source_data=data,
                    )
            except services.PlanImportError as exc:
                self.fail(str(exc))
        self.report(preview, plan=plan, document=document, dry_run=dry_run, fmt=format)

    def report(self, preview, *, plan, document, dry_run: bool, fmt: str) -> None:
        parsed = preview.parsed
        if fmt == "json":
            payload = parsed.to_json()
            payload["import"] = {
                "dry_run": dry_run,
                **preview.to_json(),
                "plan_id": plan.pk if plan else None,
                "document_id": document.pk if document else None,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        for warning in parsed.warnings:
            self.stderr.write(_("Warning: %(text)s") % {"text": warning})
        if preview.not_applied:
            self.stderr.write(_("Warning: %(text)s") % {"text": preview.not_applied_reason})
        summary = _(
            "%(code)s: %(sections)s sections, %(tasks)s tasks, %(basis)s documents cited "
            "(%(new)s new placeholders)."
        ) % {
            "code": parsed.code or parsed.title[:60],
            "sections": len(preview.body_sections),
            "tasks": len(preview.tasks),
            "basis": len(preview.basis),
            "new": len(preview.placeholders),
        }
        if not preview.is_plan:
            summary = _(
                "%(code)s: %(type)s, %(sections)s sections, %(basis)s documents cited "
                "(%(new)s new placeholders); kept as a document, without a task table."
            ) % {
                "code": parsed.code or parsed.title[:60],
                "type": parsed.type_name or parsed.doc_type,
                "sections": len(preview.body_sections),
                "basis": len(preview.basis),
                "new": len(preview.placeholders),
            }
        verb = _("Checked, nothing written") if dry_run else _("Imported")
        self.stdout.write(f"{verb}: {summary}")
        for notice in preview.notices:
            self.stdout.write(notice)
        if plan is None and document is not None:
            plan = getattr(document, "plan", None)  # a decision recorded as a plan
            self.stdout.write(_("Document page: %(url)s") % {"url": document.get_absolute_url()})
        if plan is not None:
            self.stdout.write(_("Plan page: %(url)s") % {"url": plan.get_absolute_url()})
