"""Publishing justerade protocols and the anslag of their justering."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions.justering import JusteringError, record
from meetings.documents import public_version
from meetings.models import ArchivedProtocol, Meeting, PublicProtocol
from meetings.rules import anslag, frozen
from meetings.rules.signals import tell_the_public


def is_published(today: datetime.date | None = None, *, via: str = "") -> Q:
    """The rule of what the public may see, as a condition on a Meeting (or, with
    `via` such as "public_version__meeting__", on a row that leads to one): justerat,
    its public version made, and its publication day reached. Nothing else (drafts,
    protocols under justering, scheduled ones) ever is."""
    return frozen.is_frozen(via) & Q(
        **{
            f"{via}publish_on__lte": today or timezone.localdate(),
            # What the public reads of a protocol is its public version, so a protocol
            # without one (archived before they existed) is not public until it has one.
            f"{via}public_version__isnull": False,
        }
    )


def published(today: datetime.date | None = None) -> QuerySet[Meeting]:
    """Every protocol the public may see (`is_published`)."""
    return Meeting.objects.filter(is_published(today))


@transaction.atomic
def publish(meeting: Meeting, *, on: datetime.date | None = None, by: User | None) -> None:
    """Publish a justerat protocol today or on a later day; its anslag is posted that
    day. A scheduled day may be changed until it is reached; a published protocol
    stays published.

    Changes: publish_on, day_suffix (the second meeting of the body that day gets
    2), the status publicerat when the day is today; writes the search entries
    (shown from the publication day); records an audit event.
    """
    today = timezone.localdate()
    on = on or today
    if not meeting.is_frozen:
        raise JusteringError(_("Only a justerat protocol can be published."))
    if meeting.publish_on and meeting.publish_on <= today:
        # Its anslag is up and the appeal period runs: neither may move (a
        # correction is a rättelse).
        raise JusteringError(
            _("The protocol is already published, since %(date)s.")
            % {"date": f"{meeting.publish_on:%Y-%m-%d}"}
        )
    if on < today:
        raise JusteringError(_("A protocol cannot be published on a day that has passed."))
    if not PublicProtocol.objects.filter(meeting=meeting).exists():
        # Justerat before public versions existed: what the public gets is made now.
        public_version.make(ArchivedProtocol.objects.get(meeting=meeting))
    earlier_that_day = Meeting.objects.filter(
        body=meeting.body, date=meeting.date, start_time__lt=meeting.start_time
    ).count()
    meeting.publish_on = on
    meeting.day_suffix = earlier_that_day + 1
    said = {"on": on.isoformat(), "last_day_to_appeal": anslag.last_day_to_appeal(on).isoformat()}
    if on <= today:
        meeting.move_to(
            Meeting.Status.PUBLICERAT,
            by=by,
            action="published",
            also=("publish_on", "day_suffix"),
            **said,
        )
    else:  # scheduled: justerat until its day (publish_due)
        meeting.save(update_fields=["publish_on", "day_suffix", "modified"])
        record(meeting, "published", user=by, **said)
    tell_the_public(publish, meeting=meeting, reindex=True)


def publish_due(today: datetime.date) -> int:
    """Mark scheduled publications whose day has come as publicerat (the public site
    shows them from that day anyway). Returns how many."""
    due = list(Meeting.objects.filter(status=Meeting.Status.JUSTERAT, publish_on__lte=today))
    for meeting in due:
        assert meeting.publish_on is not None  # publish_on__lte above
        meeting.move_to(
            Meeting.Status.PUBLICERAT,
            action="published_on_its_day",
            on=meeting.publish_on.isoformat(),
        )
    if due:
        tell_the_public(publish_due)
    return len(due)
