"""An archive brought in as a batch: files (or a zip of them, or a folder on the
command line) read into one review queue in date order, and a correction the
secretary makes in one file offered for the files of the batch not yet imported.

Used by the workspace (meetings/views/legacy.py) and by `manage.py import_legacy`:
nothing here imports or publishes; the review does (meetings/legacy/importing.py).
"""

import datetime
import hashlib
import io
import time
import uuid
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.legacy import importing
from meetings.legacy.source import MAX_BYTES, NotAProtocol
from meetings.models import ArchivedProtocol, LegacyUpload, Paragraph

MAX_FILES = 200  # in one batch: twenty years of a styrelse and its arbetsutskott
MAX_ZIP_BYTES = 200 * 1024 * 1024  # unpacked, all files of a zip together
READABLE = (".pdf", ".txt")


@dataclass
class TakenIn:
    uploads: list[LegacyUpload] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one sentence a file, in Swedish


def unpacked(files: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The protocol files among `files`, a zip's members in its place (its folders
    walked, other kinds of file named and left out). Problems are said, not raised."""
    out: list[tuple[str, bytes]] = []
    problems: list[str] = []
    for name, data in files:
        if not data.startswith(b"PK\x03\x04"):
            out.append((name, data))
            continue
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [m for m in archive.infolist() if not m.is_dir()]
        except zipfile.BadZipFile:
            problems.append(_("%(file)s is not a zip file that can be opened.") % {"file": name})
            continue
        if sum(m.file_size for m in members) > MAX_ZIP_BYTES:
            problems.append(
                _("%(file)s unpacks to more than 200 MB; split it in smaller zips.")
                % {"file": name}
            )
            continue
        for member in sorted(members, key=lambda m: m.filename):
            inner = member.filename.rsplit("/", 1)[-1]
            if inner.startswith(".") or "__MACOSX" in member.filename:
                continue  # a file system's own files, not the archive's
            if not inner.lower().endswith(READABLE):
                problems.append(
                    _("%(file)s in %(zip)s is neither PDF nor text; it was left out.")
                    % {"file": member.filename, "zip": name}
                )
                continue
            if member.file_size > MAX_BYTES:
                problems.append(_("%(file)s is larger than 20 MB.") % {"file": member.filename})
                continue
            out.append((inner, archive.read(member)))
    if len(out) > MAX_FILES:
        problems.append(
            _("Only the first %(count)s files were read; give the rest in another batch.")
            % {"count": MAX_FILES}
        )
        out = out[:MAX_FILES]
    return out, problems


def take_in(
    organisation, files: list[tuple[str, bytes]], *, by=None, body=None, budget: float | None = -1
) -> TakenIn:
    """Read each file into the review queue as one batch; nothing is imported. A file
    already imported, empty or unreadable is named in `problems`, the rest go on.

    In a request the PDFs share one time budget (LEGACY_PDF_SECONDS unless `budget`
    says): fifty slow files must not keep a worker past its timeout either
    (meetings/legacy/source.py). `budget=None` (the command line) gives each PDF its own."""
    result = TakenIn()
    files, result.problems = unpacked(files)
    batch = uuid.uuid4().hex
    if budget == -1:
        budget = settings.LEGACY_PDF_SECONDS
    deadline = None if budget is None else time.monotonic() + budget
    for name, data in files:
        if not data:
            result.problems.append(_("%(file)s is empty.") % {"file": name})
            continue
        left = None if deadline is None else deadline - time.monotonic()
        if data.startswith(b"%PDF") and left is not None and left < 0.5:
            result.problems.append(
                _(
                    "%(file)s was not read: the files before it took the time one upload "
                    "may take. Upload it again."
                )
                % {"file": name}
            )
            continue
        digest = hashlib.sha256(data).hexdigest()
        done = (
            ArchivedProtocol.objects.filter(sha256=digest).select_related("meeting__body").first()
        )
        if done is not None:
            result.problems.append(
                _("%(file)s is imported already: %(meeting)s.")
                % {"file": name, "meeting": done.meeting}
            )
            continue
        if LegacyUpload.objects.filter(
            organisation=organisation, sha256=digest, meeting__isnull=True
        ).exists():
            result.problems.append(_("%(file)s is waiting for review already.") % {"file": name})
            continue
        try:
            item = importing.prepare(name, data, organisation=organisation, body=body, seconds=left)
        except NotAProtocol as e:
            result.problems.append(
                _("%(file)s is not a protocol that can be read: %(error)s")
                % {"file": name, "error": e}
            )
            continue
        upload = LegacyUpload(
            organisation=organisation,
            uploaded_by=by,
            batch=batch,
            filename=name.rsplit("/", 1)[-1],
            sha256=item.source.sha256,
            source_text=item.source.text,
            document=item.parsed.document,
            meeting_date=_day(item.parsed.document),
            warnings=item.parsed.warnings,
            unsure=sorted(item.parsed.unsure),
        )
        upload.file.save(upload.filename, ContentFile(data), save=False)
        upload.save()
        result.uploads.append(upload)
    return result


def _day(document: dict) -> datetime.date | None:
    day = document["meeting"].get("date")
    return datetime.date.fromisoformat(day) if day else None


def queue(uploads):
    """The files to review first, in the order of their meetings; then those imported."""
    return uploads.order_by("meeting", "meeting_date", "filename")


def next_in_batch(upload: LegacyUpload) -> LegacyUpload | None:
    """The batch's next file to review: the first waiting after this one in date
    order, else the earliest still waiting (the queue goes round once)."""
    if not upload.batch:
        return None
    waiting = list(
        LegacyUpload.objects.filter(
            organisation=upload.organisation, batch=upload.batch, meeting__isnull=True
        )
        .exclude(pk=upload.pk)
        .order_by("meeting_date", "filename")
    )
    here = (upload.meeting_date or datetime.date.min, upload.filename)
    later = [u for u in waiting if (u.meeting_date or datetime.date.min, u.filename) > here]
    return (later or waiting or [None])[0]


def clashes(upload: LegacyUpload) -> list[str]:
    """The § numbers of this file that another file waiting for review, or the
    archive, holds for the same body and year: said in the review, before the import
    refuses the second of them. Two queries whatever the batch's size."""
    document, day = upload.document, upload.meeting_date
    numbers = {p["number"] for p in document["paragraphs"] if p["number"]}
    if day is None or not numbers:
        return []
    body = document["body"]["slug"]
    out = []
    waiting = (
        LegacyUpload.objects.filter(
            organisation=upload.organisation, meeting__isnull=True, meeting_date__year=day.year
        )
        .exclude(pk=upload.pk)
        .order_by("meeting_date", "filename")
    )
    for other in waiting:
        if other.document["body"]["slug"] != body:
            continue
        both = sorted(numbers & {p["number"] for p in other.document["paragraphs"]})
        if both:
            out.append(
                ngettext(
                    "§ %(numbers)s of %(year)s is also in %(file)s, waiting for review: "
                    "correct the number in one of them.",
                    "§ %(numbers)s of %(year)s are also in %(file)s, waiting for review: "
                    "correct the numbers in one of them.",
                    len(both),
                )
                % {"numbers": ", ".join(map(str, both)), "year": day.year, "file": other.filename}
            )
    archived = sorted(
        Paragraph.objects.filter(
            body__organisation=upload.organisation,
            body__slug=body,
            year=day.year,
            number__in=numbers,
        ).values_list("number", flat=True)
    )
    if archived:
        out.append(
            ngettext(
                "§ %(numbers)s of %(year)s is already in the archive of this body.",
                "§ %(numbers)s of %(year)s are already in the archive of this body.",
                len(archived),
            )
            % {"numbers": ", ".join(map(str, archived)), "year": day.year}
        )
    return out


def remember_date(upload: LegacyUpload) -> None:
    upload.meeting_date = _day(upload.document)


# -- Corrections offered for the rest of the batch ---------------------------------

# What recurs from one protocol of a body to the next: a person's spelling, a role
# label, a member organisation's name, the body.
KINDS = {
    "person": _("the name"),
    "role_title": _("the title"),
    "party": _("the party or member"),
    "body": _("the body"),
}


def _names(document: dict) -> list[tuple[str, str]]:
    """(kind, value) of every recurring thing in a document, where it stands."""
    out = []
    for a in document["attendance"]:
        out.append(("person", a["person"]))
        if a["role_title"]:
            out.append(("role_title", a["role_title"]))
        if a["party"]:
            out.append(("party", a["party"]))
    return out


def corrections(before: dict, after: dict) -> list[dict]:
    """What the secretary changed in a recurring thing, as {kind, old, new}: a row of
    the attendance that kept its place but changed its name, title or party; a body
    read as one name and chosen as another."""
    found: list[dict] = []
    for old_row, new_row in zip(before["attendance"], after["attendance"], strict=False):
        for kind in ("person", "role_title", "party"):
            old, new = (old_row[kind] or "").strip(), (new_row[kind] or "").strip()
            if old and new and old != new:
                found.append({"kind": kind, "old": old, "new": new})
    if before["body"].get("slug") != after["body"]["slug"] and before["body"].get("name"):
        found.append(
            {
                "kind": "body",
                "old": before["body"]["name"],
                "new": after["body"]["slug"],
                "shown": after["body"]["name"],
            }
        )
    unique = []
    for c in found:
        if c not in unique:
            unique.append(c)
    return unique


def _holds(document: dict, correction: dict) -> bool:
    if correction["kind"] == "body":
        return document["body"].get("name") == correction["old"] and (
            document["body"].get("slug") != correction["new"]
        )
    return (correction["kind"], correction["old"]) in _names(document)


def offers(upload: LegacyUpload, found: list[dict]) -> list[dict]:
    """The corrections that other files of the batch, not yet imported, would take:
    each with how many files hold the old value."""
    if not upload.batch or not found:
        return []
    others = list(
        LegacyUpload.objects.filter(
            organisation=upload.organisation, batch=upload.batch, meeting__isnull=True
        ).exclude(pk=upload.pk)
    )
    out = []
    for c in found:
        count = sum(_holds(o.document, c) for o in others)
        if count:
            out.append({**c, "files": count, "label": str(KINDS[c["kind"]])})
    return out


def renamed_within(document: dict, found: list[dict]) -> None:
    """A person renamed in the attendance is renamed where the same protocol names
    them elsewhere (the signers, uppdrag, reservations, jäv)."""
    for c in found:
        if c["kind"] == "person":
            _rename_signers(document, c["old"], c["new"])


def apply(upload: LegacyUpload, correction: dict, bodies) -> int:
    """Make `correction` in every file of `upload`'s batch not yet imported (but
    `upload`); the corrected fields are no longer marked, the secretary has said
    what they are. Returns how many files changed."""
    if correction.get("kind") not in KINDS:
        return 0
    changed = 0
    waiting = LegacyUpload.objects.filter(
        organisation=upload.organisation, batch=upload.batch, meeting__isnull=True
    ).exclude(pk=upload.pk)
    for other in waiting:
        document, unsure = other.document, set(other.unsure)
        if not _holds(document, correction):
            continue
        if correction["kind"] == "body":
            body = next((b for b in bodies if b.slug == correction["new"]), None)
            if body is None:
                return changed
            document["body"] = {"name": body.name, "slug": body.slug, "kind": body.kind}
            unsure.discard("body")
        else:
            kind = correction["kind"]
            for index, a in enumerate(document["attendance"]):
                if (a[kind] or "").strip() == correction["old"]:
                    a[kind] = correction["new"]
                    unsure.discard(f"attendance[{index}].{kind}")
            if kind == "person":
                _rename_signers(document, correction["old"], correction["new"])
        other.document, other.unsure = document, sorted(unsure)
        other.save(update_fields=["document", "unsure", "modified"])
        changed += 1
    return changed


def _rename_signers(document: dict, old: str, new: str) -> None:
    """A person renamed is renamed where the protocol names them beyond the attendance."""
    if document.get("chair") == old:
        document["chair"] = new
    for key in ("secretaries", "justerare"):
        document[key] = [new if n == old else n for n in document[key]]
    for p in document["paragraphs"]:
        for d in p["decisions"]:
            for u in d["uppdrag"]:
                if u.get("assignee") == old:
                    u["assignee"] = new
            for r in d["reservations"]:
                if r["person"] == old:
                    r["person"] = new
            d["jav"] = [new if n == old else n for n in d["jav"]]
