"""What a protocol shows, built from its JSON export (meetings.documents.protocol_json) alone.

Every rendering of a protocol reads this: the workspace, member and justering pages
and the draft PDF (from the live export, the same document whose hash the justerare
approve), the sealed original (from the export sealed into it), and the public page,
paragraph pages, extracts and the public PDF (from the public version's redacted
export). So the public can only be shown what the redacted document holds.
"""

import datetime
import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from meetings.models import Attendance, Paragraph, presence_note
from meetings.rules.masking import has_masks
from members import identity

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

VOTING = Attendance.VOTING
# Sections printed as headings; the opening and closing items stand without one.
HEADED = (Paragraph.Section.INFORMATION, Paragraph.Section.BESLUT, Paragraph.Section.DISKUSSION)


def sign(number: int | None) -> str:
    """A paragraph's number as printed: "§ 35". A plain space, so that the text of a
    page or PDF reads (and is found) as written; the templates keep the two together."""
    return f"§ {number}" if number else "§ –"


def with_headings(items: list[dict]) -> list[dict]:
    """Items (paragraphs or agenda items, each with a `section`) with `heading` set
    on the first of each headed section: the protocol's and the agenda's headings;
    and `level`, the level of the item's own heading: 3 under a section's heading
    (h2), else 2, so that no heading level is skipped (PDF/UA, WCAG 1.3.1)."""
    shown, previous, headed = [], None, False
    for item in items:
        heading: StrOrPromise = ""
        if item["section"] in HEADED and item["section"] != previous:
            heading = capfirst(Paragraph.Section(item["section"]).label)
            headed = True
        previous = item["section"]
        shown.append({**item, "heading": heading, "level": 3 if headed else 2})
    return shown


def document(data: dict) -> dict:
    """The template context of a protocol (key `protocol`), from its export."""
    bilagor_of = defaultdict(list)
    for b in data["bilagor"]:
        bilagor_of[b["paragraph"]].append(b)
    number_at = {p["position"]: p["number"] for p in data["paragraphs"]}
    paragraphs = with_headings(
        [
            {**p, "sign": sign(p["number"]), "bilagor": bilagor_of[p["position"]]}
            for p in data["paragraphs"]
        ]
    )
    attendance = [
        {
            **a,
            "note": presence_note(
                number_at.get(a["present_from"]), number_at.get(a["present_until"])
            ),
        }
        for a in data["attendance"]
    ]
    numbers = [p["number"] for p in data["paragraphs"] if p["number"]]
    meeting = data["meeting"]
    return {
        "data": data,
        "is_public_version": data.get("redacted") is True,
        "organisation": data["organisation"],
        "body": data["body"],
        "date": datetime.date.fromisoformat(meeting["date"]),
        "start_time": datetime.time.fromisoformat(meeting["start_time"]),
        "end_time": (
            datetime.time.fromisoformat(meeting["end_time"]) if meeting["end_time"] else None
        ),
        "place": meeting["place"],
        "is_remote": meeting["is_remote"],
        "chair": data["chair"],
        # Version 1 of the format named one secretary (documents archived before 2).
        "secretaries": data.get(
            "secretaries", [data.get("secretary")] if data.get("secretary") else []
        ),
        "justerare": data["justerare"],
        "paragraphs": paragraphs,
        "first_number": min(numbers, default=None),
        "last_number": max(numbers, default=None),
        "beslutande": [a for a in attendance if a["capacity"] == Attendance.Capacity.BESLUTANDE],
        "tjanstgorande": [
            a for a in attendance if a["capacity"] == Attendance.Capacity.TJANSTGORANDE_ERSATTARE
        ],
        "voting": [a for a in attendance if a["capacity"] in VOTING],
        "ersattare": [a for a in attendance if a["capacity"] == Attendance.Capacity.ERSATTARE],
        "ovriga": [a for a in attendance if a["capacity"] == Attendance.Capacity.OVRIG],
        "franvarande": [a for a in attendance if a["capacity"] == Attendance.Capacity.FRANVARANDE],
        "bilagor": data["bilagor"],
        "has_masks": any(has_masks(p["title"] + p["text"]) for p in data["paragraphs"])
        or any(has_masks(str(p["decisions"])) for p in data["paragraphs"]),
    }


def signatures(protocol: dict, approvals: list) -> list[dict]:
    """The "Justeras" block: the chair, then each justerare, with the time each
    approved the version justerat (None before, or on paper)."""
    when = {a.person.name: a.created for a in approvals}
    # "Freja eID+, tillitsnivå 3, 2026-12-03 14.02": an approval signed so.
    how = {a.person.name: identity.described(a.evidence) for a in approvals if a.evidence}
    people = [(protocol["chair"], _("chair"))] if protocol["chair"] else []
    people += [
        (name, _("justerare")) for name in protocol["justerare"] if name != protocol["chair"]
    ]
    return [
        {"name": name, "role": role, "when": when.get(name), "how": how.get(name, "")}
        for name, role in people
    ]


def justering_evidence(approvals: list) -> list[dict]:
    """How each approval was given, for the original's embedded justering.json: by
    the account (its password), or with an e-legitimation (the provider, issuer,
    level of assurance and time, and the SHA-256 of the signed ID token, which the
    approval keeps: the token itself names the person's identity number)."""
    out = []
    for a in approvals:
        row = {
            "person": a.person.name,
            "approved_at": a.created.isoformat(),
            "version": a.content_hash,
            "method": "account",
        }
        if a.evidence:
            row.update(
                {
                    k: a.evidence[k]
                    for k in ("method", "provider", "issuer", "acr", "level", "authenticated_at")
                }
            )
            row["id_token_sha256"] = hashlib.sha256(a.evidence["id_token"].encode()).hexdigest()
        out.append(row)
    return out
