import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from boiduong.core.forms import DateInput, bootstrap
from boiduong.orgs.forms import UnitChoiceField
from boiduong.orgs.models import OrgUnit

from .models import User
from .roles import Role

# Typed by teachers on any keyboard: plain ASCII, no diacritics, no spaces.
USERNAME = re.compile(r"[A-Za-z0-9._-]+")


class LoginForm(AuthenticationForm):
    """The login form, with Bootstrap classes; throttling is django-axes' job."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


# The units a manager may choose are those of their accounts.manage scope (services.MANAGE);
# the picker's lookup searches with the same permission, and the field's queryset (set by the
# view from selectors.units_to_choose) decides what is accepted.
MANAGE = "accounts.manage"


class RoleFields(forms.Form):
    """A role on a unit with an optional validity period. Which roles and units are offered
    follows the manager (`roles` / `units`); the service enforces the same rule."""

    role = forms.ChoiceField(label=_("Role"))
    org_unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("On unit"), permission=MANAGE
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput())

    def __init__(self, *args, roles, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "—")] + [(r.value, r.label) for r in Role if r in roles]
        self.fields["org_unit"].queryset = units
        bootstrap(self)

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("The end of the period precedes its start."))
        return data


class RoleGrantForm(RoleFields):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"


class UserCreateForm(RoleFields):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and . _ - only, e.g. nguyen.van.an"),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    workplace = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Workplace"), permission=MANAGE
    )

    field_order = [
        "username",
        "full_name",
        "email",
        "workplace",
        "role",
        "org_unit",
        "valid_from",
        "valid_to",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = self.fields["org_unit"].queryset
        self.fields["org_unit"].required = False
        self.fields["org_unit"].label = _("Role on unit")
        self.fields["org_unit"].help_text = _("Leave empty: the workplace.")
        self.fields["username"].widget.attrs["autocomplete"] = "off"
        bootstrap(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME.fullmatch(username):
            raise forms.ValidationError(_("Letters, digits and . _ - only, e.g. nguyen.van.an"))
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class UserEditForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    workplace = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Workplace"), permission=MANAGE
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace"].queryset = units
        bootstrap(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)
