from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 100 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Registry file (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.xls,.ods"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 100 MB."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload
