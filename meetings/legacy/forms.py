"""The upload form of the legacy import (meetings/views/legacy.py): one organisation
and any number of protocol files in one field."""

from django import forms
from django.utils.translation import gettext as _


class MultipleFiles(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern): a list of them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFiles(attrs={"accept": ".pdf,.txt,.zip"}))
        # An empty file is told about by name (uploads()), not refusing the others.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    files = MultipleFileField(
        label=_("Protocols (PDF or text, or a zip of them)"),
        help_text=_(
            "Choose many files at once, or one zip of the archive: they are read as one "
            "batch and reviewed in date order."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
