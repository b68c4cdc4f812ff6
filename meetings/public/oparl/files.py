"""The facts the API states of a downloadable file: its size and SHA-512 (OParl
`size`, `sha512Checksum`), measured on the first request that names the file and
kept (StoredFileFacts), so that a list page reads no file."""

import hashlib
import mimetypes

from django.core.files.storage import default_storage
from django.db.models import OuterRef, Subquery

from meetings.models import StoredFileFacts


class Facts:
    """The stored files one response names: call `want` for each, then `get`."""

    def __init__(self):
        self._wanted: set[str] = set()
        self._read: dict[str, StoredFileFacts] = {}
        self._known: dict[str, StoredFileFacts] | None = None

    def want(self, name: str, *, size: int | None = None, sha512: str = "") -> None:
        """A file the response names; its facts if the caller read them already (a
        query's annotation, `kept`), so that they cost no query of their own."""
        if name:
            self._wanted.add(name)
            if size is not None:
                self._read[name] = StoredFileFacts(name=name, size=size, sha512=sha512)

    def get(self, name: str) -> StoredFileFacts | None:
        if self._known is None:
            self._known = {**self._read, **_load(self._wanted - set(self._read))}
        if name not in self._known and name:
            self._known.update(_load({name}))
        return self._known.get(name)


def _load(names: set[str]) -> dict[str, StoredFileFacts]:
    """One query for those measured before; the rest measured now and kept."""
    if not names:
        return {}
    known = {f.name: f for f in StoredFileFacts.objects.filter(name__in=names)}
    # A file missing from storage is said as unknown, not made up.
    measured = [f for f in (_measure(name) for name in sorted(names - set(known))) if f]
    if measured:
        # One statement for all; another request may have measured some a moment earlier.
        StoredFileFacts.objects.bulk_create(measured, ignore_conflicts=True)
        known.update((f.name, f) for f in measured)
    return known


def _measure(name: str) -> StoredFileFacts | None:
    digest, size = hashlib.sha512(), 0
    try:
        with default_storage.open(name, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 16), b""):
                digest.update(chunk)
                size += len(chunk)
    except FileNotFoundError:
        return None
    return StoredFileFacts(name=name, size=size, sha512=digest.hexdigest())


def mime_type(filename: str) -> str:
    guessed, _ = mimetypes.guess_type(filename)
    return guessed or "application/octet-stream"


def kept(name_field: str) -> dict:
    """Annotations reading the kept facts of the file in `name_field` with its row."""
    facts = StoredFileFacts.objects.filter(name=OuterRef(name_field))
    return {
        "kept_size": Subquery(facts.values("size")[:1]),
        "kept_sha512": Subquery(facts.values("sha512")[:1]),
    }
