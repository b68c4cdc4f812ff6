"""Publishing justerade protocols and the anslag of their justering."""

import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import anslag, page_cache
from meetings.justering import JusteringError, record
from meetings.models import Meeting


def published(today: datetime.date | None = None) -> QuerySet[Meeting]:
    """Every protocol the public may see: justerat, and its publication day reached.
    Nothing else (drafts, protocols under justering, scheduled ones) ever is."""
    return Meeting.objects.filter(
        justerat_at__isnull=False, publish_on__lte=today or timezone.localdate()
    )


@transaction.atomic
def publish(meeting: Meeting, *, on: datetime.date | None = None, by: User | None) -> None:
    """Publish a justerat protocol today or on a later day; its anslag is posted that
    day.

    Changes: publish_on, day_suffix (the second meeting of the body that day gets
    2), the status publicerat when the day is today; writes the search entries
    (shown from the publication day); records an audit event.
    """
    today = timezone.localdate()
    on = on or today
    if not meeting.is_frozen:
        raise JusteringError(_("Only a justerat protocol can be published."))
    if on < today:
        raise JusteringError(_("A protocol cannot be published on a day that has passed."))
    earlier_that_day = Meeting.objects.filter(
        body=meeting.body, date=meeting.date, start_time__lt=meeting.start_time
    ).count()
    meeting.publish_on = on
    meeting.day_suffix = earlier_that_day + 1
    if on <= today:
        meeting.status = Meeting.Status.PUBLICERAT
    meeting.save(update_fields=["publish_on", "day_suffix", "status", "modified"])
    from meetings.search import index_protocol  # search builds on publication

    index_protocol(meeting)
    record(meeting, "published", user=by, on=on.isoformat(),
           last_day_to_appeal=anslag.last_day_to_appeal(on).isoformat())  # fmt: skip
    page_cache.clear()


def publish_due(today: datetime.date) -> int:
    """Mark scheduled publications whose day has come as publicerat (the public site
    shows them from that day anyway). Returns how many."""
    due = Meeting.objects.filter(status=Meeting.Status.JUSTERAT, publish_on__lte=today).update(
        status=Meeting.Status.PUBLICERAT
    )
    if due:
        page_cache.clear()
    return due


def public_protocol(content: str) -> dict:
    """What the public sees of an archived protocol (its JSON export as sealed):
    confidential paragraphs only by number and public title, non-public bilagor not
    at all, no e-mail or account detail (the export holds none)."""
    import json

    data = json.loads(content)
    bilagor = [b for b in data["bilagor"] if b["is_public"]]
    by_position = {}
    paragraphs = []
    for p in data["paragraphs"]:
        if p["is_confidential"]:
            shown = {"number": p["number"], "section": p["section"], "title": p["public_title"],
                     "confidential": True, "text": "", "decisions": [], "bilagor": []}  # fmt: skip
        else:
            shown = {**p, "confidential": False,
                     "bilagor": [b for b in bilagor if b["paragraph"] == p["position"]]}  # fmt: skip
        by_position[p["position"]] = shown
        paragraphs.append(shown)

    def presence(a):
        start = by_position.get(a["present_from"])
        until = by_position.get(a["present_until"])
        if start and until:
            return f"(§\u00a0{start['number']}–{until['number']})"
        if start:
            return _("(from § %(number)s)") % {"number": start["number"]}
        if until:
            return _("(up to and including § %(number)s)") % {"number": until["number"]}
        return ""

    attendance = [{**a, "note": presence(a)} for a in data["attendance"]]
    confidential_positions = {p["position"] for p in data["paragraphs"] if p["is_confidential"]}
    return {
        "data": data,
        "paragraphs": paragraphs,
        "beslutande": [
            a for a in attendance if a["capacity"] in ("beslutande", "tjanstgorande_ersattare")
        ],
        "ersattare": [a for a in attendance if a["capacity"] == "ersattare"],
        "ovriga": [a for a in attendance if a["capacity"] == "ovrig"],
        "franvarande": [a for a in attendance if a["capacity"] == "franvarande"],
        "public_bilagor": [b for b in bilagor if b["paragraph"] not in confidential_positions],
    }
