from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from boiduong.core.forms import DateInput, bootstrap

from .choices import PlanKind, SignerAuthority, TaskStatus
from .models import Document, Indicator, Plan, Programme
from .parsing import DocumentParseError, extract_text, parse_document

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
ACCEPTED = (".txt", ".md", ".docx")


class PlanImportForm(forms.Form):
    """A plan's text, pasted or uploaded (.txt, .md or .docx). The text is parsed here so a
    document that is not readable is refused with the parser's own Vietnamese message."""

    text = forms.CharField(
        label=_("Paste the plan's text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "class": "form-control font-monospace small"}),
    )
    file = forms.FileField(
        label=_("or upload a file (.txt, .md or .docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED)}),
    )

    def clean(self):
        cleaned = super().clean()
        text, upload = cleaned.get("text", "").strip(), cleaned.get("file")
        if bool(text) == bool(upload):
            raise forms.ValidationError(_("Paste the text or choose a file (one of the two)."))
        cleaned["data"] = None
        cleaned["filename"] = ""
        try:
            if upload:
                if upload.size > MAX_UPLOAD_BYTES:
                    raise forms.ValidationError(_("The file is larger than 5 MB."))
                data = upload.read()
                cleaned["data"], cleaned["filename"] = data, upload.name
                text = extract_text(data, upload.name)
            cleaned["parsed"] = parse_document(text)
        except DocumentParseError as exc:
            raise forms.ValidationError(str(exc)) from exc
        cleaned["text"] = text
        return cleaned


class ImportConfirmForm(forms.Form):
    """Where the imported plan goes in the tree, chosen on the preview page."""

    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.none(), required=False, empty_label="—"
    )
    parent = forms.ModelChoiceField(
        label=_("Carries out the plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label="—",
    )
    # Empty: the importer picks the kind from the place in the tree (a decision placed directly
    # under its programme approves the annual plan); a công văn's preview has no plan fields.
    kind = forms.ChoiceField(
        label=_("Kind of plan"),
        choices=[("", _("as its place in the tree says")), *PlanKind.choices],
        required=False,
    )
    replace = forms.BooleanField(label=_("Replace the plan already in the system"), required=False)

    def __init__(self, *args, programmes, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["parent"].queryset = plans
        self.fields["parent"].label_from_instance = lambda plan: (
            f"{plan.document.short_label} — {plan.document.title[:90]}"
        )
        for name, field in self.fields.items():
            css = "form-check-input" if name == "replace" else "form-select"
            field.widget.attrs["class"] = css

    def clean_kind(self) -> str | None:
        return self.cleaned_data.get("kind") or None


class TaskUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskStatus.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, what is missing; kept in the task's history."),
    )
    evidence = forms.ModelMultipleChoiceField(
        label=_("Evidence documents"),
        queryset=Plan.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = documents
        self.fields["evidence"].label_from_instance = lambda d: (
            f"{d.short_label} — {d.title[:80]}" if d.code else d.title[:90]
        )
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "status" else "form-control"
        self.fields["evidence"].widget.attrs["class"] = "form-select"

    @classmethod
    def for_task(cls, task, *, user, data=None, **kwargs) -> TaskUpdateForm:
        """The form for `task`: bound to `data`, or filled with the task's current values."""
        from . import selectors

        documents = selectors.evidence_choices(user=user)
        if data is not None:
            return cls(data, documents=documents, **kwargs)
        initial = {
            "status": task.status,
            "progress": task.progress,
            "note": task.notes,
            "evidence": list(task.evidence.all()),
        }
        return cls(initial=initial, documents=documents, **kwargs)

    def save(self, *, actor, task) -> bool:
        """Apply a valid form through the audited service; False, with the reason on the form,
        when the service refuses the change."""
        from . import services

        try:
            services.task_update(
                actor=actor,
                task=task,
                status=self.cleaned_data["status"],
                progress=self.cleaned_data["progress"],
                note=self.cleaned_data["note"],
                evidence=self.cleaned_data["evidence"],
            )
        except services.TaskUpdateError as exc:
            self.add_error(None, str(exc))
            return False
        return True


# --- editing ------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def reason_field(*, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        required=required,
        max_length=500,
        widget=forms.TextInput(),
        help_text=_("Kept in the history. Required when an issued document or its plan changes."),
    )


class DocumentEditForm(forms.Form):
    """A document's metadata as printed: number, date, signer, summary, recipients, basis."""

    number = forms.IntegerField(label=_("Number"), min_value=1, required=False)
    notation = forms.CharField(
        label=_("Notation"), max_length=60, required=False, help_text=_("E.g. KH-BGDĐT.")
    )
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    signer_authority = forms.ChoiceField(
        label=_("Signing authority"), choices=SignerAuthority.choices, required=False
    )
    signer_principal = forms.CharField(
        label=_("Signing for"),
        max_length=200,
        required=False,
        help_text=_("BỘ TRƯỞNG in KT. BỘ TRƯỞNG."),
    )
    signer_title = forms.CharField(label=_("Signer's title"), max_length=200, required=False)
    signer_name = forms.CharField(label=_("Signer"), max_length=150, required=False)
    title = forms.CharField(
        label=_("Summary (trích yếu)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    recipients = forms.CharField(
        label=_("Recipients (Nơi nhận), one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("End with “Lưu: VT, …”."),
    )
    basis = forms.CharField(
        label=_("Legal basis, one citing sentence per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "E.g. “Căn cứ Quyết định số 33/QĐ-TTg ngày 08/01/2019 của Thủ tướng Chính phủ”. "
            "A document not in the system yet is recorded as cited."
        ),
    )
    reason = reason_field()

    def __init__(self, *args, document: Document, registered: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if registered or document.state == "draft":
            self.fields["number"].disabled = True
            self.fields["number"].help_text = (
                _("Given by the register of outgoing documents.")
                if registered
                else _("A draft gets its number when it is signed.")
            )
        if document.state == "issued":
            self.fields["reason"].required = True
        bootstrap(self)

    def clean_recipients(self) -> list[str]:
        return _lines(self.cleaned_data.get("recipients", ""))

    def clean_notation(self) -> str:
        return self.cleaned_data.get("notation", "").strip().strip("/")


class PlanEditForm(forms.Form):
    """The parts of a plan (mục đích, yêu cầu, nội dung, thành phần, địa điểm, thời gian,
    phương thức, kinh phí)."""

    purpose = forms.CharField(label=pgettext_lazy("plan text", "Purpose"))
    requirements = forms.CharField(label=pgettext_lazy("plan text", "Requirements"))
    content = forms.CharField(label=pgettext_lazy("plan text", "Content"))
    participants = forms.CharField(label=pgettext_lazy("plan text", "Participants"))
    locations = forms.CharField(label=pgettext_lazy("plan text", "Locations"))
    timing = forms.CharField(label=pgettext_lazy("plan text", "Time"))
    mode = forms.CharField(label=pgettext_lazy("plan text", "Mode"))
    funding = forms.CharField(label=pgettext_lazy("plan text", "Funding"))
    reason = reason_field()

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Plan.FIELDS_TEXT:
            field = self.fields[name]
            field.required = False
            field.widget = forms.Textarea(attrs={"rows": 6 if name == "content" else 3})
        if plan.document.state == "issued":
            self.fields["reason"].required = True
        bootstrap(self)


class ResponsibilityForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    unit_text = forms.CharField(label=_("Unit"), max_length=400, required=False)
    duties = forms.CharField(
        label=_("Duties"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class BaseResponsibilityFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


ResponsibilityFormSet = forms.formset_factory(
    ResponsibilityForm, formset=BaseResponsibilityFormSet, extra=1, can_delete=True
)


class IndicatorForm(forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "year", "source"]
        widgets = {"name": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _(
            "Required when the baseline, target or year changes; kept in the history."
        )
        bootstrap(self)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import ATTACHMENT_TYPES

        self.fields["file"].widget.attrs.update(
            {"accept": ",".join(sorted(ATTACHMENT_TYPES)), "class": "form-control"}
        )

    def clean_file(self):
        from .services import ATTACHMENT_MAX_BYTES

        upload = self.cleaned_data["file"]
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload
