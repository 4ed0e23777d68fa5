from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PlanKind, TaskStatus
from .models import Plan, Programme
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
        label=_("Programme"), queryset=Programme.objects.none(), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Carries out the plan"), queryset=Plan.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of plan"), choices=PlanKind.choices)
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
