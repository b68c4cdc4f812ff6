"""Recording and sending e-mail: `post` records, `deliver` sends one recorded mail,
`retry` sends a failed one again, `sweep` takes up what a dead worker left.

Every path that mails (a kallelse, a notice, an invitation, a password reset) posts
here instead of talking to the mail server: the mail is a row before it is anything
else, in the transaction of what it tells of, so that a rolled-back action mails
nobody and a committed one mails everyone, whatever the server does meanwhile.
"""

import datetime
import hashlib
import logging
import smtplib
import time
from collections.abc import Iterable, Sequence
from email.mime.base import MIMEBase
from email.utils import formatdate, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import InterfaceError, OperationalError, connection, models, transaction
from django.utils import timezone
from django_tasks import task

from minutes_site.outbox.models import Enclosure, Mail

log = logging.getLogger(__name__)

# Seconds to wait after each failed attempt; after the last, the mail has failed
# (about a day and a half in all: a mail server down over a night still gets it).
RETRY_AFTER = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 3600, 6 * 3600, 12 * 3600, 12 * 3600)
# A mail due this long ago and not claimed has lost its task (a worker died before
# it ran): the sweep queues it again.
GRACE = datetime.timedelta(minutes=1)


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def post(
    messages: Iterable[EmailMessage],
    *,
    about: models.Model | None = None,
    kind: str = "",
    batch: str = "",
    secret: bool = False,
) -> list[Mail]:
    """Records each message and queues its sending. Raises TypeError for what the
    outbox cannot keep (a MIME part given as an object, HTML alternatives)."""
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    recorded = []
    with transaction.atomic():
        for message in messages:
            recorded.append(
                _record(message, about_type, about, kind=kind, batch=batch, secret=secret)
            )
        for mail in recorded:
            _queue(mail)
    return recorded


def _record(message, about_type, about, *, kind, batch, secret) -> Mail:
    if getattr(message, "alternatives", None) or message.cc or message.bcc:
        raise TypeError("the outbox keeps plain messages to their To: addresses")
    attachments, enclosures = [], {}
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise TypeError("the outbox keeps attachments given as (name, content, type)")
        name, content, mimetype = attachment
        text = isinstance(content, str)
        data = content.encode() if text else bytes(content)
        sha256 = hashlib.sha256(data).hexdigest()
        enclosures[sha256] = data
        attachments.append(
            {"name": name, "mimetype": mimetype or "", "sha256": sha256, "text": text}
        )
    Enclosure.objects.bulk_create(
        [Enclosure(sha256=k, content=v) for k, v in enclosures.items()], ignore_conflicts=True
    )
    headers = {"Message-ID": make_msgid(domain=_domain()), "Date": formatdate(localtime=True)}
    headers.update(message.extra_headers)
    if message.reply_to:
        headers["Reply-To"] = ", ".join(message.reply_to)
    return Mail.objects.create(
        kind=kind,
        about_type=about_type,
        about_id=about.pk if about is not None else None,
        batch=batch,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        subject=message.subject,
        body=message.body,
        headers=headers,
        attachments=attachments,
        secret=secret,
        next_attempt_at=timezone.now(),
    )


@task()
def deliver_mail(mail_id: int) -> str:
    """The background task: a worker on any node runs it."""
    return deliver(mail_id)


def _queue(mail: Mail, at: datetime.datetime | None = None) -> None:
    task = deliver_mail
    if at is not None and task.get_backend().supports_defer:
        task = task.using(run_after=at)
    task.enqueue(mail.pk)


def message(mail: Mail) -> EmailMessage:
    """The recorded mail as Django sends it: the same headers (Message-ID) each time."""
    email = EmailMessage(mail.subject, mail.body, mail.from_email, mail.to, headers=mail.headers)
    contents = {
        e.sha256: bytes(e.content)
        for e in Enclosure.objects.filter(sha256__in=[a["sha256"] for a in mail.attachments])
    }
    for a in mail.attachments:
        content = contents[a["sha256"]]
        email.attach(a["name"], content.decode() if a["text"] else content, a["mimetype"] or None)
    return email


def deliver(pk: int, *, now: datetime.datetime | None = None) -> str:
    """Sends one recorded mail if it is waiting and due; returns its status after.

    The claim (status "sending") is committed before the server hears of the mail:
    a second task for the same mail finds it claimed and does nothing, so a mail is
    handed to the server once. A worker that dies while it talks to the server
    leaves the claim, which the sweep takes up again after the lease; the server
    threw away a message it had not acknowledged.
    """
    now = now or timezone.now()
    with transaction.atomic():
        mail = (
            Mail.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=Mail.Status.WAITING, next_attempt_at__lte=now)
            .first()
        )
        if mail is None:
            current = Mail.objects.filter(pk=pk).values_list("status", flat=True).first()
            return current or ""
        mail.status = Mail.Status.SENDING
        mail.claimed_at = now
        mail.attempts += 1
        mail.save(update_fields=["status", "claimed_at", "attempts"])
    email = message(mail)
    try:
        get_connection(fail_silently=False).send_messages([email])
    except smtplib.SMTPRecipientsRefused as e:
        codes = [code for code, _text in e.recipients.values()]
        answer = "; ".join(
            f"{to}: {code} {_text(text)}" for to, (code, text) in e.recipients.items()
        )
        permanent = bool(codes) and all(code >= 500 for code in codes)
        _failed(mail, answer, now, final=Mail.Status.BOUNCED if permanent else None)
    except smtplib.SMTPResponseException as e:
        answer = f"{e.smtp_code} {_text(e.smtp_error)}"
        _failed(mail, answer, now, final=Mail.Status.FAILED if e.smtp_code >= 500 else None)
    except (OSError, smtplib.SMTPException) as e:
        _failed(mail, str(e) or type(e).__name__, now, final=None)
    except Exception as e:
        # (an address the server's protocol cannot carry, say): trying again would not help.
        _failed(mail, f"{type(e).__name__}: {e}", now, final=Mail.Status.FAILED)
    else:
        mail.status = Mail.Status.SENT
        mail.sent_at = timezone.now()
        mail.claimed_at = None
        mail.answer = ""
        fields = ["status", "sent_at", "claimed_at", "answer"]
        if mail.secret:
            mail.body = ""
            fields.append("body")
        _keep(mail, fields)
    return mail.status


def _keep(mail: Mail, fields: list[str]) -> None:
    """Records that the server took the mail, through a database restart: were it
    lost, the sweep would send the mail a second time."""
    deadline = time.monotonic() + settings.OUTBOX_RECORD_SECONDS
    while True:
        try:
            mail.save(update_fields=fields)
            return
        except (OperationalError, InterfaceError):
            if connection.in_atomic_block or time.monotonic() > deadline:
                raise
            log.warning("mail %s sent, its record waits for the database", mail.pk)
            connection.close()
            time.sleep(0.5)


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def _failed(mail: Mail, answer: str, now: datetime.datetime, *, final: str | None) -> None:
    """A refusal for good ends the mail; any other failure waits and tries again, until
    the attempts run out."""
    log.warning("mail %s to %s not sent (attempt %s): %s", mail.pk, mail.to, mail.attempts, answer)
    mail.answer = answer[:2000]
    mail.claimed_at = None
    if final is None and mail.attempts > len(RETRY_AFTER):
        final = Mail.Status.FAILED
    if final:
        mail.status = final
        mail.next_attempt_at = None
        mail.save(update_fields=["status", "answer", "claimed_at", "next_attempt_at"])
        return
    mail.status = Mail.Status.WAITING
    mail.next_attempt_at = now + datetime.timedelta(seconds=RETRY_AFTER[mail.attempts - 1])
    mail.save(update_fields=["status", "answer", "claimed_at", "next_attempt_at"])
    _queue(mail, at=mail.next_attempt_at)


def retry(mail: Mail) -> bool:
    """ "Försök igen": a failed, bounced or waiting mail is sent now, with a new round
    of attempts. A mail sent or being sent is left alone (False)."""
    with transaction.atomic():
        updated = Mail.objects.filter(
            pk=mail.pk,
            status__in=(Mail.Status.FAILED, Mail.Status.BOUNCED, Mail.Status.WAITING),
        ).update(status=Mail.Status.WAITING, next_attempt_at=timezone.now(), attempts=0)
        if updated:
            _queue(mail)
    mail.refresh_from_db()
    return bool(updated)


def withdraw(mails: models.QuerySet[Mail], reason: str) -> int:
    """The mails among these still waiting are never to be sent (a later kallelse
    replaces them): marked withdrawn, with why. One being sent goes on."""
    return mails.filter(status=Mail.Status.WAITING).update(
        status=Mail.Status.WITHDRAWN, answer=reason, next_attempt_at=None
    )


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Takes up what dead workers left: a claim older than the lease is released, a
    task started longer ago than the lease runs again (every task is idempotent), and
    a mail long past due is queued again. Run by every worker between tasks."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)
    # A released claim is due at once: its task is gone with its worker.
    released = Mail.objects.filter(status=Mail.Status.SENDING, claimed_at__lt=stale).update(
        status=Mail.Status.WAITING, claimed_at=None, next_attempt_at=now - GRACE
    )
    rerun = _release_tasks(stale, now)
    queued = 0
    due = Mail.objects.filter(status=Mail.Status.WAITING, next_attempt_at__lte=now - GRACE)
    for mail in due.only("pk")[:500]:
        _queue(mail)
        queued += 1
    return {"released": released, "tasks": rerun, "queued": queued}


def _release_tasks(stale: datetime.datetime, now: datetime.datetime) -> int:
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=stale).update(
        status="READY", run_after=now
    )


def of(about: models.Model, *, kind: str = "", batch: str = "") -> models.QuerySet[Mail]:
    mails = Mail.objects.filter(
        about_type=ContentType.objects.get_for_model(about), about_id=about.pk
    )
    if kind:
        mails = mails.filter(kind=kind)
    if batch:
        mails = mails.filter(batch=batch)
    return mails


def undelivered(abouts: Sequence[models.Model] | models.QuerySet) -> models.QuerySet[Mail]:
    """The mails about any of these (a secretary's meetings) that did not arrive:
    failed, bounced, or waiting after a failed attempt."""
    ids: models.QuerySet | list
    if isinstance(abouts, models.QuerySet):
        about_type = ContentType.objects.get_for_model(abouts.model)
        ids = abouts.values("pk")
    else:
        if not abouts:
            return Mail.objects.none()
        about_type = ContentType.objects.get_for_model(abouts[0])
        ids = [a.pk for a in abouts]
    return Mail.objects.filter(about_type=about_type, about_id__in=ids).filter(
        models.Q(status__in=(Mail.Status.FAILED, Mail.Status.BOUNCED))
        | models.Q(status=Mail.Status.WAITING, attempts__gte=1)
    )
