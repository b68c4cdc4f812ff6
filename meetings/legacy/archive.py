"""An imported protocol made part of the archive with its own history: justerat and
published on the days it was (not today), its original file kept as it came, with
its SHA-256, marked as imported (Paragraf neither rendered nor sealed it)."""

import datetime
import hashlib
import json

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from meetings.actions.justering import record, version_of
from meetings.documents.protocol_json import dumps, export_protocol
from meetings.documents.public_version import redact
from meetings.models import ArchivedProtocol, Meeting, PublicProtocol
from meetings.rules.signals import tell_the_public
from meetings.rules.stored_files import removed_on_failure


@transaction.atomic
def archive_imported(
    meeting: Meeting, *, filename: str, data: bytes, history: dict | None, by=None
) -> ArchivedProtocol:
    """Archive and publish an imported meeting as it was.

    Changes: creates the ArchivedProtocol (the original file, its SHA-256, the JSON
    export) and the PublicProtocol (the same file, the redacted JSON); sets the
    meeting justerat on `history["justerat_on"]` (else its own day) and published
    on `history["anslag_on"]` (else the justering's day); writes the search entries;
    records an audit event; empties the page cache.
    """
    history = history or {}
    justerat_on = history.get("justerat_on") or meeting.date
    anslag_on = history.get("anslag_on") or justerat_on
    if isinstance(justerat_on, str):
        justerat_on = datetime.date.fromisoformat(justerat_on)
    if isinstance(anslag_on, str):
        anslag_on = datetime.date.fromisoformat(anslag_on)
    data_json = export_protocol(meeting)
    content = dumps(data_json)
    sha256 = hashlib.sha256(data).hexdigest()
    extension = "pdf" if data.startswith(b"%PDF") else "txt"
    stem = f"protokoll-{slugify(meeting.body.name)}-{meeting.date:%Y-%m-%d}"
    archive = ArchivedProtocol(
        meeting=meeting,
        sha256=sha256,
        content=content,
        content_hash=version_of(data_json),
        imported_from=filename,
    )
    public = PublicProtocol(
        meeting=meeting, sha256=sha256, is_imported=True, content=dumps(redact(json.loads(content)))
    )
    with removed_on_failure() as keep:
        archive.pdf.save(f"{stem}-original.{extension}", ContentFile(data), save=False)
        keep(archive.pdf)
        archive.save()
        public.original = archive
        public.pdf.save(f"{stem}.{extension}", ContentFile(data), save=False)
        keep(public.pdf)
        public.save()
    earlier_that_day = Meeting.objects.filter(
        body=meeting.body, date=meeting.date, start_time__lt=meeting.start_time
    ).count()
    meeting.justerat_at = timezone.make_aware(
        datetime.datetime.combine(justerat_on, datetime.time(12))
    )
    meeting.publish_on = anslag_on
    meeting.day_suffix = earlier_that_day + 1
    # Justerat before Paragraf (genomfört → justerat), public from its anslag's day.
    meeting.move_to(Meeting.Status.JUSTERAT, also=("justerat_at", "publish_on", "day_suffix"))
    if anslag_on <= timezone.localdate():
        meeting.move_to(Meeting.Status.PUBLICERAT)
    record(
        meeting,
        "imported",
        user=by,
        filename=filename,
        sha256=sha256,
        justerat_on=justerat_on.isoformat(),
        anslag_on=anslag_on.isoformat(),
    )
    tell_the_public(__name__, meeting=meeting, reindex=True)
    return archive
