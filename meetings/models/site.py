"""What the public site and the open-data API keep to answer quickly and alike on
every app server: the search entries, the page cache, the throttle's counts, the
open-data API's record of deleted objects and the facts of its files.

None of these rows is part of a protocol: they are what the public site derives
from published data (search entries, cached pages, the files' facts), counts (the
throttle) or must remember of what it once offered (the deletions).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from meetings.models.protocol import Meeting
from members.models import Timestamped


class SearchEntry(Timestamped):
    """One published paragraph as the public search sees it, written at publication
    from the archived JSON: exactly what the public page shows (a confidential
    paragraph only by number and public title). On PostgreSQL `vector` holds its
    'swedish' tsvector, under a GIN index (migration 0008)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="search_entries")
    # The meeting's date, here so that the newest matches are found by an index
    # without joining every match to its meeting (meetings/public/search.py).
    date = models.DateField(null=True, db_index=True)
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="searchentry_unique")
        ]

    def __str__(self):
        return f"{self.meeting} § {self.number}"


class CachedPage(Timestamped):
    """A public page as an anonymous visitor got it, kept in the database so that
    every app server answers the next visitor from it (meetings/public/page_cache.py).
    Only what the views mark `Cache-Control: public` is kept, for that many seconds
    at most; a publication or correction clears them all."""

    key = models.CharField(max_length=600, unique=True)
    # Text, not bytes: PostgreSQL sends bytea as hex, twice the size, to be decoded.
    body = models.TextField()
    headers = models.JSONField(default=list)
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


class Throttle(Timestamped):
    """How often one client did something costly (meetings/rules/throttle.py) in the
    current window: in the database, so that every worker and app server counts
    the same uses. Rows past their window are deleted by `manage.py daily`."""

    key = models.CharField(max_length=200, primary_key=True)
    uses = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    def __str__(self):
        return self.key


class OpenDataDeletion(Timestamped):
    """An object the open-data API (meetings/oparl) once offered and that is gone: a
    client that synchronises by `modified_since` must learn of it, so the API keeps
    answering its address with `"deleted": true` (OParl 1.1, "Gelöschte Objekte").
    Written by the delete signals in meetings/public/oparl/deletions.py, whatever path
    deletes the row (workspace, admin, a cascade). The row's `created` is the time
    of the deletion; `object_created` the object's own."""

    kind = models.CharField(max_length=30)
    object_id = models.CharField(max_length=60)
    organisation_id = models.PositiveIntegerField(null=True, db_index=True)
    # For what belongs to a meeting (an agenda item, a handling): the meeting stays in
    # the API as its kallelse was sent, with the item, until the next kallelse.
    meeting_id = models.PositiveIntegerField(null=True)
    object_created = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="open_data_deletion_once"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class StoredFileFacts(Timestamped):
    """Size and SHA-512 of a stored file the public may download, measured once: the
    files behind the open-data API never change under their name (sealed PDFs,
    bilagor of a justerat protocol; a replaced file is stored under a new name), so a
    list page need not read them."""

    name = models.CharField(max_length=500, unique=True)
    size = models.PositiveBigIntegerField()
    sha512 = models.CharField(max_length=128)

    def __str__(self):
        return self.name
