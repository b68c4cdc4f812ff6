"""Asking for a new password, without telling who has an account, and not too often.

Every request that is not throttled sends one e-mail: the reset link to an address
with an account, a short note to an address without one. So the answer and its
timing are the same either way, and nobody learns from the page which addresses
are known. One address may ask PER_ADDRESS times an hour, one client PER_CLIENT
times; beyond that the page answers as always and sends nothing.
"""

import datetime
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from members.client_ip import client_ip
from members.models import PasswordResetRequest, Person
from minutes_site.outbox import sending

PER_ADDRESS = 3
PER_CLIENT = 10
WINDOW = datetime.timedelta(hours=1)


def _throttled(address: str, ip: str) -> bool:
    now = timezone.now()
    PasswordResetRequest.objects.filter(created__lt=now - datetime.timedelta(days=1)).delete()
    digest = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    recent = PasswordResetRequest.objects.filter(created__gte=now - WINDOW)
    if (
        recent.filter(address_hash=digest).count() >= PER_ADDRESS
        or recent.filter(client_ip=ip).count() >= PER_CLIENT
    ):
        return True
    PasswordResetRequest.objects.create(address_hash=digest, client_ip=ip)
    return False


class ThrottledPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # Django's own, through the outbox; the link in it signs in, so the outbox
        # forgets the body once the mail is sent.
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        sending.post(
            [EmailMessage(subject, body, from_email, [to_email])],
            about=context.get("user"),
            kind="password_reset",
            secret=True,
        )

    # Only by keyword and with the request (the client's address is throttled), as
    # Django's PasswordResetView calls it: narrower than the form it overrides.
    def save(self, *, request, **kwargs):  # type: ignore[override]
        address = self.cleaned_data["email"]
        if _throttled(address, client_ip(request)):
            return
        if any(True for _user in self.get_users(address)):
            # The link is built on the site's own address, never on the Host header
            # of the request that asked for it (which anyone can set).
            site = urlsplit(settings.SITE_URL)
            kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
            return super().save(request=request, **kwargs)
        # A person the förbund knows by this address, without an account (a member
        # called to meetings, say), is told how to get one; the page says the same.
        known = (
            Person.objects.filter(email__iexact=address, user__isnull=True)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("registration/password_reset_subject.txt").strip()
            body = render_to_string(
                "registration/password_reset_unknown_email.txt",
                {"person": known, "organisation": known.organisation if known else None},
            )
        sending.post([EmailMessage(subject, body, to=[address])], kind="password_reset")
