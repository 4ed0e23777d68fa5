"""Forms parse input only; the rules are in services and rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from boiduong.core.forms import DateInput, bootstrap
from boiduong.orgs.models import Region

from .choices import Audience, Mode, Outcome, StaffRole
from .models import CertificateTemplate, Course

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class StyledForm(forms.Form):
    """Bootstrap classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CourseForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=Audience.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    modules = forms.CharField(
        label=_("Content modules (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    rule_core_staff = forms.BooleanField(label=_("Must be core staff"), required=False)
    rule_year = forms.IntegerField(
        label=_("Year of the core-staff list and training round"),
        required=False,
        min_value=1990,
        max_value=2100,
    )
    rule_passed = forms.BooleanField(
        label=_("Must have passed that training round"), required=False
    )

    class Meta:
        model = Course
        fields = [
            "kind",
            "code",
            "title",
            "region",
            "venue",
            "starts_on",
            "ends_on",
            "is_tentative",
            "tentative_text",
            "days",
            "days_required",
            "mode",
            "capacity",
            "stated_participants",
            "stated_staff",
            "certificate_template",
        ]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.all()
        instance = self.instance
        if instance.pk:
            self.fields["code"].disabled = True
            self.fields["mode"].disabled = True  # changed with notice: course_change_mode
            self.fields["modules"].initial = "\n".join(
                instance.modules.values_list("title", flat=True)
            )
            self.fields["modules"].disabled = True
            self.fields["audiences"].initial = instance.audiences
            rule = instance.eligibility_rule or {}
            self.fields["rule_core_staff"].initial = bool(rule.get("core_staff"))
            self.fields["rule_year"].initial = rule.get("training_round_year")
            self.fields["rule_passed"].initial = rule.get("training_result") == "dat"
        bootstrap(self)

    def rule(self) -> dict:
        data = self.cleaned_data
        rule: dict = {}
        if data.get("rule_core_staff"):
            rule["core_staff"] = True
            rule["audience_matches"] = True
        if data.get("rule_year"):
            rule["core_staff_year"] = data["rule_year"]
            rule["training_round_year"] = data["rule_year"]
        if data.get("rule_passed"):
            rule["training_result"] = "dat"
        return rule

    def module_titles(self) -> list[str]:
        return [
            line.strip()
            for line in self.cleaned_data.get("modules", "").splitlines()
            if line.strip()
        ]


class ModeForm(StyledForm):
    mode = forms.ChoiceField(label=_("New mode"), choices=Mode.choices)
    reason = forms.CharField(label=_("Reason (sent to the participants)"), max_length=300)


class StaffForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    unit_name = forms.CharField(label=_("Unit"), max_length=255, required=False)


class CallForm(StyledForm):
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    title = forms.CharField(label=_("Summary (V/v)"), max_length=400)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    deadline = forms.DateField(label=_("Nomination deadline"), widget=DateInput())
    body = forms.CharField(
        label=_("Body"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class UploadForm(StyledForm):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload


class OnlineImportForm(UploadForm):
    min_minutes = forms.IntegerField(
        label=_("Minutes online to count as present"), min_value=1, max_value=1440, initial=120
    )


class ScanForm(StyledForm):
    code = forms.CharField(label=_("Badge code"), max_length=40)
    day = forms.IntegerField(label=_("Day"), min_value=1)


class ResultRowForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("", "—"), *Outcome.choices], required=False)
    score = forms.DecimalField(min_value=0, max_value=10, decimal_places=2, required=False)
    remarks = forms.CharField(max_length=500, required=False)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = CertificateTemplate
        fields = [
            "name",
            "parent_body",
            "issuer",
            "title",
            "body",
            "place",
            "signer_authority",
            "signer_title",
            "signer_name",
            "is_default",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8, "class": "form-control font-monospace"})
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CascadeForm(StyledForm):
    code = forms.CharField(label=_("Code"), max_length=24)
    title = forms.CharField(label=_("Title"), max_length=400)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=30, initial=2)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, initial=60)
    venue = forms.CharField(label=_("Venue"), max_length=255, required=False)
