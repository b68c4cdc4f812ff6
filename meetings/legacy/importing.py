"""Legacy protocols brought in: read, parsed and (after review) imported, all files
of one run together so that links between them resolve whatever the file order."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from meetings.actions.protocol_import import import_protocol
from meetings.documents.protocol_json import ProtocolFormatError, read_protocol
from meetings.legacy import parse, source
from meetings.legacy.archive import archive_imported
from members.models import Body, Organisation


@dataclass
class Prepared:
    source: source.Source
    parsed: parse.Parsed


def known_organisation(slug: str | None) -> Organisation | None:
    return Organisation.objects.filter(slug=slug).first() if slug else None


def organisation_data(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "slug": organisation.slug,
        "organisation_number": organisation.organisation_number,
        "website": organisation.website,
    }


def body_data(body: Body) -> dict:
    return {"name": body.name, "slug": body.slug, "kind": body.kind}


def prepare(
    filename: str,
    data: bytes,
    *,
    organisation: Organisation | None = None,
    body: Body | None = None,
    seconds: float | None = None,
) -> Prepared:
    """The file read and parsed; NotAProtocol (with the reason) when it is not one. A
    PDF is read within `seconds` (LEGACY_PDF_SECONDS unless told)."""
    read = source.read(filename, data, seconds=seconds)
    try:
        parsed = parse.parse(
            read.text,
            organisation=organisation_data(organisation) if organisation else None,
            body=body_data(body) if body else None,
            filename=filename,
            running_heads=read.running_heads,
        )
    except ValueError as e:
        raise source.NotAProtocol(str(e)) from None
    if organisation is None:
        # The installation's organisation of that name, when there is one.
        named = parsed.document["organisation"]["name"]
        found = Organisation.objects.filter(name__iexact=named).first() if named else None
        if found is not None:
            parsed.document["organisation"] = organisation_data(found)
            parsed.unsure.discard("organisation")
    org = Organisation.objects.filter(slug=parsed.document["organisation"]["slug"]).first()
    if body is None and org is not None:
        # The body the text names, as the organisation's own body of that kind.
        same_kind = list(org.bodies.filter(kind=parsed.document["body"]["kind"])[:2])
        if len(same_kind) == 1:
            parsed.document["body"] = body_data(same_kind[0])
            parsed.unsure.discard("body")
    for p in parsed.document["paragraphs"]:
        # The parser names the body a § answers by its kind; here, by the
        # organisation's body of that kind.
        if p["responds_to"] and org is not None:
            said = p["responds_to"]["body"]  # a kind, or a body's name as a slug
            target = (
                org.bodies.filter(kind=said).first()
                or org.bodies.filter(slug=said).first()
                or next((b for b in org.bodies.all() if slugify(b.name) == said), None)
            )
            if target is not None:
                p["responds_to"]["body"] = target.slug
    parsed.document["history"]["source_filename"] = filename.rsplit("/", 1)[-1]
    parsed.document["history"]["source_sha256"] = read.sha256
    if body is None and not parsed.document["body"]["name"]:
        parsed.warnings.append(_("The body (styrelse, arbetsutskott …) was not found."))
    return Prepared(read, parsed)


def as_held(document: dict) -> dict:
    """A protocol justerat elsewhere is read and imported as the held meeting it was
    (the status a file can make true, protocol_json.reader), then archived as
    justerat with its history (archive.archive_imported)."""
    return {**document, "meeting": {**document["meeting"], "status": "genomfort"}}


def check(document: dict) -> None:
    """Whether the document would import: ProtocolFormatError names the field."""
    read_protocol(as_held(document))


class ImportFailed(Exception):
    def __init__(self, filename: str, error: ProtocolFormatError):
        self.filename, self.error = filename, error
        super().__init__(
            _("%(file)s was not imported; nothing was changed. %(error)s")
            % {"file": filename, "error": error}
        )


@transaction.atomic
def import_documents(items: list[tuple[str, dict, bytes]], *, by=None) -> list:
    """Import (filename, document, original file) in date order, all or none, each
    archived and published with its own history (meetings/legacy/archive.py).
    ImportFailed names the file and the field. Returns the ImportResults in order.

    Links between the protocols (a styrelse § answering an arbetsutskott §) resolve
    whatever the order of the files: the earlier meetings are imported first."""
    ordered = sorted(
        items,
        key=lambda item: (
            item[1]["meeting"].get("date") or "",
            item[1]["meeting"].get("start_time") or "",
        ),
    )
    results = []
    for filename, document, data in ordered:
        try:
            result = import_protocol(as_held(document))
        except ProtocolFormatError as e:
            raise ImportFailed(filename, e) from None
        archive_imported(
            result.meeting,
            filename=filename.rsplit("/", 1)[-1],
            data=data,
            history=result.history,
            by=by,
        )
        results.append(result)
    return results
