"""The request's own time when a kallelse goes to 12 people and at the last approval,
with the work in the request (as before issue 34) and queued for a worker (now).

Before: the kallelse made (PDF, calendar invitations, attachments) and each of the
12 mails handed to an SMTP server on loopback, in the request; the last approval
recorded and the protocol sealed (original and public version rendered, sealed,
stored) in the request. Now: the request checks, records the work and queues its
task on the database queue; a worker does the rest. Each round in a transaction
rolled back, the two interleaved so that drift hits both alike; medians.
"""

import datetime
import statistics
import time

RECIPIENTS = 12


class _Rollback(Exception):
    pass


def _timed(job) -> float:
    from django.db import transaction

    started = 0.0
    try:
        with transaction.atomic():
            prepared = job.prepare()
            started = time.perf_counter()
            job.run(prepared)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        return elapsed


class _Kallelse:
    def __init__(self, body, user, queued: bool):
        self.body, self.user, self.queued = body, user, queued

    def prepare(self):
        from meetings.actions import services
        from members.models import Membership, Person

        meeting = services.plan_meeting(
            self.body,
            by=self.user,
            date=datetime.date.today() + datetime.timedelta(days=14),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            place="Kommunhuset",
        )
        for n in range(RECIPIENTS):
            person = Person.objects.create(
                organisation=self.body.organisation,
                name=f"Ledamot {n:02d} Bänk",
                email=f"ledamot{n:02d}@bench.example",
            )
            Membership.objects.create(
                person=person,
                body=self.body,
                role="ordforande" if n == 0 else "ledamot",
                start=meeting.date - datetime.timedelta(days=365),
            )
            if n == 0:
                meeting.chair = person
        meeting.save()
        return meeting

    def run(self, meeting):
        from meetings.actions import kallelse
        from minutes_site.outbox import sending
        from minutes_site.outbox.models import Mail

        if self.queued:
            kallelse.order(meeting, by=self.user)
            return
        sent = kallelse.send(meeting, by=self.user)
        for mail in Mail.objects.filter(batch=kallelse.batch(sent)):
            sending.deliver(mail.pk)


class _LastApproval:
    def __init__(self, meeting, user, queued: bool):
        self.meeting, self.user, self.queued = meeting, user, queued

    def prepare(self):
        from meetings.actions import justering
        from meetings.models import Attendance
        from members.models import Person

        meeting = self.meeting
        meeting.refresh_from_db()
        if not meeting.attendances.exists():
            raise RuntimeError("the bench's draft protocol has no attendance")
        present = list(Attendance.objects.filter(meeting=meeting).select_related("person"))
        chair = meeting.chair or present[0].person
        meeting.chair = chair
        meeting.save()
        if not justering.eligible_justerare(meeting).exists():
            # Someone besides the chair to justera with: the bench's draft has no one.
            other = Person.objects.filter(organisation=meeting.body.organisation).exclude(
                pk__in=[a.person_id for a in present]
            )[0]
            Attendance.objects.create(
                meeting=meeting, person=other, capacity="beslutande", order=len(present)
            )
        justerare = list(justering.eligible_justerare(meeting))[:1]
        justering.send_for_justering(
            meeting,
            justerare=justerare,
            deadline=meeting.date + datetime.timedelta(days=14),
            by=self.user,
            notify=False,
        )
        version = justering.content_hash(meeting)
        for person in justerare:
            person.refresh_from_db()
            justering.approve(meeting, person, version=version, user=person.user or self.user)
        chair.refresh_from_db()
        return chair, version

    def run(self, prepared):
        from meetings.actions import justering

        chair, version = prepared
        user = chair.user or self.user
        if self.queued:
            justering.approve_in_background(self.meeting, chair, version=version, user=user)
        else:
            justering.approve(self.meeting, chair, version=version, user=user)


def measure(draft, rounds: int = 5) -> dict:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test.utils import override_settings

    from meetings.documents import sealing
    from tests.mailserver import MailServer

    sealing.create_development_certificate()
    user = User.objects.get(username="sekreterare-01")
    body = draft.body
    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    timings: dict[str, list[float]] = {k: [] for k in ("kallelse", "approval")}
    queued: dict[str, list[float]] = {k: [] for k in ("kallelse", "approval")}
    with MailServer() as server:
        smtp = server.settings()
        for _ in range(rounds):
            with override_settings(**smtp, TASKS=settings.TASKS):
                timings["kallelse"].append(_timed(_Kallelse(body, user, queued=False)))
            with override_settings(**smtp, TASKS=queue):
                queued["kallelse"].append(_timed(_Kallelse(body, user, queued=True)))
            timings["approval"].append(_timed(_LastApproval(draft, user, queued=False)))
            with override_settings(TASKS=queue):
                queued["approval"].append(_timed(_LastApproval(draft, user, queued=True)))
        delivered = len(server.received)
    result = {"rounds": rounds, "recipients": RECIPIENTS}
    for name in timings:
        before, after = statistics.median(timings[name]), statistics.median(queued[name])
        result[name] = {
            "in_the_request_ms": round(before * 1000, 1),
            "queued_ms": round(after * 1000, 1),
            "fraction": round(after / before, 3),
        }
    result["mails_delivered_in_the_request"] = delivered
    return result
