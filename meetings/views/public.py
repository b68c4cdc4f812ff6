from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetings.verification import verify


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/home.html")


class VerifyForm(forms.Form):
    file = forms.FileField(label=capfirst(_("the protocol (PDF)")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.BILAGA_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(max)s.")
                % {"max": filesizeformat(settings.BILAGA_MAX_BYTES)}
            )
        return upload


def verify_protocol(request: HttpRequest) -> HttpResponse:
    """Anyone may check whether a PDF is an authentic justerat protocol of this site.
    The file is read and forgotten; nothing is stored."""
    form = VerifyForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verify(form.cleaned_data["file"].read())
    return render(
        request,
        "meetings/verify.html",
        {"form": form, "verdict": verdict},
        status=400 if form.errors else 200,
    )
