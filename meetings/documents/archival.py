"""How every sealed document is made, and what every document file is called.

Five kinds of document are sealed (the justerat original and its public version,
the two kinds of protokollsutdrag, a rättelse and its public version), and each goes
the same way: rendered (by its own module), then `seal`ed here (the organisation's
seal over the PDF, and the SHA-256 of exactly the sealed bytes, which the row keeps
and /verifiera/ looks up), then `store`d (the file saved in STORAGES under its
`file_name`, and removed again if the row that holds it is not written).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from meetings.documents import sealing
from meetings.models import Meeting


@dataclass(frozen=True)
class Sealed:
    """A sealed PDF and the SHA-256 of its bytes."""

    pdf: bytes
    sha256: str


def seal(pdf: bytes, *, reason: str, meeting: Meeting) -> Sealed:
    """Seal a rendered PDF in the name of the meeting's organisation."""
    sealed = sealing.seal(pdf, reason=reason, location=meeting.body.organisation.name)
    return Sealed(sealed, hashlib.sha256(sealed).hexdigest())


def store(field: FieldFile, sealed: Sealed, name: str, keep: Callable[[FieldFile], None]) -> None:
    """Save the sealed bytes into a row's file field (the row itself is saved by the
    caller); `keep` is rules.stored_files.removed_on_failure's, so the file goes
    again if the caller's block fails."""
    field.save(name, ContentFile(sealed.pdf), save=False)
    keep(field)


def file_name(kind: str, meeting: Meeting, *details: object, extension: str = "pdf") -> str:
    """The one convention for a document's file name, stored or downloaded:
    kind-organ-YYYY-MM-DD[-n][-detail …].pdf, e.g. protokoll-styrelsen-2026-03-12.pdf,
    protokollsutdrag-styrelsen-2026-03-12-p7.pdf; -n is the body's n:th meeting that
    day (as in its public address), so two protocols of one day never share a name."""
    day = f"{meeting.date:%Y-%m-%d}"
    if meeting.day_suffix > 1:
        day += f"-{meeting.day_suffix}"
    return "-".join([kind, meeting.body.slug, day, *map(str, details)]) + f".{extension}"
