"""`boiduong import_people FILE [--dry-run]`: the importer from the shell."""

from django.core.management.base import BaseCommand, CommandError

from boiduong.people.importing import people_import


class Command(BaseCommand):
    help = "Check and import a people registry (XLSX or CSV), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file, dry_run, **options):
        try:
            outcome = people_import(actor=None, path=file, filename=file, dry_run=dry_run)
        except FileNotFoundError as exc:
            raise CommandError(f"Không tìm thấy tệp {file}.", returncode=2) from exc
        except OSError as exc:
            message = f"Không mở được tệp {file} (lỗi {exc.errno})."
            raise CommandError(message, returncode=2) from exc
        for warning in outcome.warnings:
            self.stderr.write(f"Cảnh báo: {warning}")
        counts = (
            f"{outcome.rows} dòng: {outcome.new} mới, {outcome.updated} cập nhật, "
            f"{outcome.unchanged} không đổi, {outcome.error_rows} lỗi"
        )
        if not outcome.ok:
            for message in outcome.messages(limit=200):
                self.stderr.write(message)
            raise CommandError(f"Không nhập gì. {counts}.", returncode=2)
        verb = "Kiểm tra xong (chưa ghi)" if dry_run else "Đã nhập"
        self.stdout.write(f"{verb}: {counts}; {outcome.schools_created} trường mới.")
