"""A meeting's protocol as the JSON of docs/protocol-format.md (deterministic)."""

import datetime
import json
from typing import Any

from meetings.documents.protocol_json.format import FORMAT_NAME, FORMAT_VERSION
from meetings.models import (
    Attendance,
    Decision,
    Meeting,
    Paragraph,
)
from members.models import Body, Person

# --- Export ------------------------------------------------------------------


def export_protocol(meeting: Meeting) -> dict[str, Any]:
    """The protocol of `meeting` as a JSON-ready dict (no side effects)."""
    meeting = (
        Meeting.objects.select_related("body__organisation", "chair", "secretary")
        .prefetch_related(
            "justerare__person",
            "co_secretaries__person",
            "attendances__person",
            "attendances__substitutes_for",
            "attendances__party",
            "attendances__present_from",
            "attendances__present_until",
            "paragraphs__responds_to__body",
            "paragraphs__decisions__proposed_to",
            "paragraphs__decisions__uppdrag__assignee",
            "paragraphs__decisions__reservations__person",
            "paragraphs__decisions__jav__person",
            "bilagor__paragraph",
        )
        .get(pk=meeting.pk)
    )
    body = meeting.body
    organisation = body.organisation
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "organisation_number": organisation.organisation_number,
            "website": organisation.website,
        },
        "body": _export_body(body),
        "meeting": {
            "date": meeting.date.isoformat(),
            "start_time": _export_time(meeting.start_time),
            "end_time": _export_time(meeting.end_time) if meeting.end_time else None,
            "place": meeting.place,
            "is_remote": meeting.is_remote,
            "status": meeting.status,
        },
        "chair": _name(meeting.chair),
        "secretaries": [p.name for p in meeting.secretaries()],
        "justerare": [j.person.name for j in meeting.justerare.all()],
        "attendance": [_export_attendance(a) for a in meeting.attendances.all()],
        "paragraphs": [_export_paragraph(p) for p in meeting.paragraphs.all()],
        "bilagor": [
            {
                "number": b.number,
                "title": b.title,
                "paragraph": b.paragraph.position,
                "is_public": b.is_public,
                "title_is_public": b.title_is_public,
                "filename": b.filename,
                "sha256": b.sha256 or None,
            }
            for b in meeting.bilagor.all()
        ],
    }


def dumps(data: dict[str, Any]) -> str:
    """The canonical text of an export: stable key order, UTF-8, indented."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _name(person: Person | None) -> str | None:
    return person.name if person else None


def _export_time(t: datetime.time) -> str:
    return t.strftime("%H:%M")


def _export_body(body: Body) -> dict[str, str]:
    return {"name": body.name, "slug": body.slug, "kind": body.kind}


def _export_attendance(a: Attendance) -> dict[str, Any]:
    return {
        "person": a.person.name,
        "capacity": a.capacity,
        "party": a.party.name if a.party else None,
        "role_title": a.role_title,
        "substitutes_for": _name(a.substitutes_for),
        "present_from": a.present_from.position if a.present_from else None,
        "present_until": a.present_until.position if a.present_until else None,
    }


def _export_paragraph(p: Paragraph) -> dict[str, Any]:
    link = p.responds_to
    return {
        "position": p.position,
        "number": p.number,
        "section": p.section,
        "title": p.title,
        "text": p.text,
        "diarienummer": p.diarienummer,
        "is_confidential": p.is_confidential,
        "public_title": p.public_title,
        "is_struck": p.is_struck,
        "responds_to": (
            {"body": link.body.slug, "year": link.year, "number": link.number} if link else None
        ),
        "decisions": [_export_decision(d) for d in p.decisions.all()],
    }


def _export_decision(d: Decision) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "text": d.text,
        "proposed_to": _export_body(d.proposed_to) if d.proposed_to else None,
        "vote": (
            {
                "for": d.votes_for,
                "against": d.votes_against,
                "abstaining": d.votes_abstaining,
                "result": d.vote_result,
            }
            if d.has_vote
            else None
        ),
        "uppdrag": [
            {
                "description": u.description,
                "assignee": _name(u.assignee),
                "due_date": u.due_date.isoformat() if u.due_date else None,
            }
            for u in d.uppdrag.all()
        ],
        "reservations": [
            {"person": r.person.name, "motivation": r.motivation} for r in d.reservations.all()
        ],
        "jav": [j.person.name for j in d.jav.all()],
    }
