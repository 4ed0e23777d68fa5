import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import audit, jobs
from .models import AuditEvent, Job

TABLE_CLASS = "table table-hover table-sm align-middle bg-white mb-0"


def table_attrs(testid: str) -> dict:
    """Table attributes: the house style plus a test id."""
    return {"class": TABLE_CLASS, "data-testid": testid}


class DateColumn(tables.DateColumn):
    """dd/mm/yyyy, as Vietnamese tables write dates."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("format", "d/m/Y")
        super().__init__(*args, **kwargs)


class AuditEventTable(tables.Table):
    at = tables.DateTimeColumn(format="d/m/Y H:i", verbose_name=_("At"))
    actor = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    content_type = tables.Column(verbose_name=_("Record type"))
    object_repr = tables.Column(verbose_name=_("Record"))
    changes = tables.Column(verbose_name=_("Changes"), orderable=False)
    reason = tables.Column(verbose_name=_("Reason"))

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "content_type", "object_repr", "changes", "reason"]

    def render_content_type(self, value):
        model = value.model_class()
        return capfirst(model._meta.verbose_name) if model else value.name

    _names: audit.RelatedNames | None = None

    def related_names(self) -> audit.RelatedNames:
        """Names of the records the diffs of this page (or of the whole export) point to, read
        once for all its rows, not once per row."""
        if self._names is None:
            self._names = audit.RelatedNames(row.record for row in self.paginated_rows)
        return self._names

    def render_changes(self, value, record):
        rows = audit.readable_changes(record, names=self.related_names())
        shown = format_html_join(
            "", "<div><span class='text-secondary'>{}:</span> {}</div>", rows[:MAX_CHANGES]
        )
        if len(rows) > MAX_CHANGES:
            more = _("… and %(n)s more") % {"n": len(rows) - MAX_CHANGES}
            return format_html("{}<div class='text-secondary'>{}</div>", shown, more)
        return shown

    def value_content_type(self, value):
        return self.render_content_type(value)

    def value_changes(self, value, record):
        rows = audit.readable_changes(record, names=self.related_names())
        return "; ".join(f"{label}: {text}" for label, text in rows)


MAX_CHANGES = 6


JOB_BADGES = {
    Job.Status.QUEUED: "secondary",
    Job.Status.RUNNING: "primary",
    Job.Status.SUCCEEDED: "success",
    Job.Status.FAILED: "danger",
}


class JobTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), linkify=("core:job_detail", [tables.A("pk")]))
    kind = tables.Column(verbose_name=_("Kind"))
    status = tables.Column(verbose_name=_("Status"), attrs={"td": {"class": "text-nowrap"}})
    progress = tables.Column(verbose_name=_("Progress"), attrs={"td": {"class": "text-end"}})
    started_at = tables.DateTimeColumn(
        format="d/m/Y H:i", verbose_name=_("Started"), attrs={"td": {"class": "text-nowrap"}}
    )
    finished_at = tables.DateTimeColumn(
        format="d/m/Y H:i", verbose_name=_("Finished"), attrs={"td": {"class": "text-nowrap"}}
    )
    created_by = tables.Column(verbose_name=_("Started by"), default="—")
    result_file = tables.Column(
        verbose_name=_("Result"), orderable=False, exclude_from_export=True, empty_values=()
    )

    class Meta:
        model = Job
        fields = [
            "title",
            "kind",
            "status",
            "progress",
            "started_at",
            "finished_at",
            "created_by",
            "result_file",
        ]
        attrs = table_attrs("job-table")

    def render_kind(self, value):
        return jobs.kind_label(value)

    def value_kind(self, value):
        return jobs.kind_label(value)

    def render_status(self, value, record):
        return format_html(
            '<span class="badge text-bg-{}" data-status="{}">{}</span>',
            JOB_BADGES.get(record.status, "secondary"),
            record.status,
            record.get_status_display(),
        )

    def value_status(self, value, record):
        return record.get_status_display()

    def render_progress(self, value, record):
        # a running job's live percentage is in the cache, not yet in its row
        return f"{jobs.job_state(record)['progress']}%"

    def value_progress(self, value, record):
        return jobs.job_state(record)["progress"]

    def render_result_file(self, value, record):
        if record.status != Job.Status.SUCCEEDED or not record.result_file:
            return ""
        return format_html(
            '<a class="btn btn-outline-success btn-sm text-nowrap" href="{}"'
            ' data-testid="job-download">'
            '<i class="bi bi-download" aria-hidden="true"></i> {}</a>',
            reverse("core:job_download", args=[record.pk]),
            _("Download"),
        )
