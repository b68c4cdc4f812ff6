"""PDFs of a meeting, made with WeasyPrint: the protocol (and, through `render_pdf`,
the kallelse: meetings.actions.kallelse).

Every protocol PDF is rendered from the protocol's JSON export through
`meetings.documents.document`: the draft from the live export, the sealed original from the
export sealed into it, the public version from its redacted export. Protocol
documents are Swedish whatever the reader's UI language: they are rendered with the
site's language (sv) active.
"""

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Attachment

from meetings.documents import accessible_pdf
from meetings.documents.document import document, justering_evidence, signatures
from meetings.documents.protocol_json import export_protocol
from meetings.models import Meeting


def render_pdf(template: str, context: dict, **options) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        finisher=accessible_pdf.finish, **options
    )


def _context(data: dict, **extra) -> dict:
    protocol = document(data)
    return {
        "protocol": protocol,
        "organisation": protocol["organisation"],
        "signatures": signatures(protocol, extra.get("approvals") or []),
        **extra,
    }


def protocol_draft_pdf(meeting: Meeting, *, data=None, version: str = "") -> bytes:
    """The protocol as it stands (or the export `data` of it), marked UTKAST on
    every page, with lines to sign on paper; with `version`, the version it is
    printed in it."""
    data = data if data is not None else export_protocol(meeting)
    return render_pdf(
        "meetings/pdf/protocol.html", _context(data, draft=True, version=version, meeting=meeting)
    )


def archival_pdf(
    data: dict,
    *,
    meeting: Meeting,
    approvals: list,
    version: str,
    content_json: str,
    link_key: str = "",
) -> bytes:
    """A justerat protocol for the archive, PDF/A-3a (tagged, fonts embedded): the
    draft's layout without watermark, a justering page (who approved, when, and
    which version), and the export `content_json` (whose data is `data`) embedded
    as its source. For the public version (`data` redacted) the first page says
    what it is and where the original is kept."""
    what = (
        "Protokollets offentliga version som strukturerad data (paragraf.protocol, redacted)"
        if data.get("redacted")
        else "Protokollet som strukturerad data (paragraf.protocol)"
    )
    source = Attachment(
        string=content_json.encode("utf-8"),
        name="protokoll.json",
        description=what,
        relationship="Source",
    )
    attachments = [source]
    if not data.get("redacted"):
        # How each justerare approved (account, or e-legitimation with its proof's hash).
        attachments.append(
            Attachment(
                string=json.dumps(
                    justering_evidence(approvals), ensure_ascii=False, indent=2
                ).encode(),
                name="justering.json",
                description="Hur protokollet justerades: varje godkännande och dess legitimering",
                relationship="Supplement",
            )
        )
    context = _context(
        data, draft=False, meeting=meeting, approvals=approvals, version=version, link_key=link_key
    )
    return render_pdf(
        "meetings/pdf/protocol.html",
        context,
        pdf_variant="pdf/a-3a",
        attachments=attachments,
        custom_metadata=True,
    )
