"""PDFs of a meeting, made with WeasyPrint: the kallelse and the protocol.

Protocol documents are Swedish whatever the reader's UI language: they are
rendered with the site's language (sv) active.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Attachment

from meetings.models import Attendance, Decision, Meeting, Paragraph
from meetings.services import kallelse_recipients


def render_pdf(template: str, context: dict, **options) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**options)


def protocol_context(meeting: Meeting) -> dict:
    """Everything a protocol document shows, in a fixed number of queries."""
    meeting = (
        Meeting.objects.select_related("body__organisation", "chair", "secretary")
        .prefetch_related(
            "justerare__person",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related(
                    "person", "party", "substitutes_for", "present_from", "present_until"
                ),
            ),
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.prefetch_related(
                    Prefetch(
                        "decisions",
                        queryset=Decision.objects.select_related("proposed_to").prefetch_related(
                            "uppdrag__assignee", "reservations__person", "jav__person"
                        ),
                    ),
                    "bilagor",
                ),
            ),
        )
        .get(pk=meeting.pk)
    )
    attendances = list(meeting.attendances.all())
    by_capacity = {
        capacity: [a for a in attendances if a.capacity == capacity]
        for capacity in Attendance.Capacity.values
    }
    return {
        "meeting": meeting,
        "organisation": meeting.body.organisation,
        "beslutande": by_capacity["beslutande"] + by_capacity["tjanstgorande_ersattare"],
        "ersattare": by_capacity["ersattare"],
        "ovriga": by_capacity["ovrig"],
        "franvarande": by_capacity["franvarande"],
        "paragraphs": list(meeting.paragraphs.all()),
        "justerare": [j.person for j in meeting.justerare.all()],
    }


def protocol_draft_pdf(meeting: Meeting) -> bytes:
    """The protocol as it stands, marked UTKAST on every page."""
    return render_pdf("meetings/pdf/protocol.html", {**protocol_context(meeting), "draft": True})


def kallelse_pdf(meeting: Meeting) -> bytes:
    """The notice with the agenda (§ numbers as placeholders until given) and the
    handlingar (the bilagor attached so far)."""
    context = protocol_context(meeting)
    context["recipients"] = kallelse_recipients(meeting)
    return render_pdf("meetings/pdf/kallelse.html", context)


def archival_pdf(meeting: Meeting, *, approvals: list, content_json: str) -> bytes:
    """The justerat protocol for the archive: PDF/A-3a (tagged, fonts embedded), the
    draft's layout without watermark, a justering page (who approved, when, how, and
    which version), and the protocol's JSON export embedded as its source."""
    context = {**protocol_context(meeting), "draft": False, "approvals": approvals}
    source = Attachment(
        string=content_json.encode("utf-8"),
        name="protokoll.json",
        description="Protokollet som strukturerad data (paragraf.protocol, version 1)",
        relationship="Source",
    )
    return render_pdf(
        "meetings/pdf/protocol.html",
        context,
        pdf_variant="pdf/a-3a",
        attachments=[source],
        custom_metadata=True,
    )
