"""The secretary's review of a parsed legacy protocol: the fields as forms (the
meeting, the attendance, each paragraph and its decisions), and the document made
again from what she corrected. What the forms do not show (uppdrag, reservations,
jäv, bilagor) is kept as parsed."""

import copy

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from meetings.models import Attendance, Decision, Paragraph

DECISIONS_SHOWN = 2  # per paragraph; more are kept as parsed


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.replace("\n", ",").split(",") if n.strip()]


class MeetingFields(forms.Form):
    body = forms.ChoiceField(label=capfirst(_("body")))
    date = forms.DateField(
        label=capfirst(_("date")), widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=capfirst(_("starts")), widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=capfirst(_("ends")), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=capfirst(_("place")), max_length=200, required=False)
    is_remote = forms.BooleanField(label=capfirst(_("remote participation")), required=False)
    chair = forms.CharField(label=capfirst(_("chair")), max_length=200, required=False)
    secretaries = forms.CharField(
        label=capfirst(_("minutes taken by")),
        required=False,
        help_text=_("Names, separated by commas."),
    )
    justerare = forms.CharField(
        label=capfirst(_("justerare")),
        required=False,
        help_text=_("Besides the chair; names, separated by commas."),
    )
    justerat_on = forms.DateField(
        label=capfirst(_("justerat on")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    anslag_on = forms.DateField(
        label=capfirst(_("anslag posted on")),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The day it was published; the justering's day when empty."),
    )

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(b.slug, b.name) for b in bodies]


class AttendanceRow(forms.Form):
    person = forms.CharField(label=capfirst(_("name")), max_length=200, required=False)
    capacity = forms.ChoiceField(label=capfirst(_("capacity")), choices=Attendance.Capacity.choices)
    party = forms.CharField(label=capfirst(_("party")), max_length=200, required=False)
    role_title = forms.CharField(
        label=capfirst(pgettext_lazy("a person's", "title")), max_length=200, required=False
    )
    substitutes_for = forms.CharField(
        label=capfirst(_("serves for")), max_length=200, required=False
    )
    present_from = forms.IntegerField(label=capfirst(_("from §")), required=False, min_value=1)
    present_until = forms.IntegerField(label=capfirst(_("until §")), required=False, min_value=1)


class ParagraphRow(forms.Form):
    number = forms.IntegerField(label="§", min_value=1)
    section = forms.ChoiceField(label=capfirst(_("section")), choices=Paragraph.Section.choices)
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    text = forms.CharField(
        label=capfirst(_("text")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [("", gettext("(no decision)")), *Decision.Kind.choices]
        for i in range(1, DECISIONS_SHOWN + 1):
            self.fields[f"decision_{i}_kind"] = forms.ChoiceField(
                label=capfirst(gettext("decision %(n)s") % {"n": i}),
                choices=kinds,
                required=False,
            )
            self.fields[f"decision_{i}_text"] = forms.CharField(
                label=capfirst(gettext("text of decision %(n)s") % {"n": i}),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for i in range(1, DECISIONS_SHOWN + 1):
            if (
                cleaned.get(f"decision_{i}_kind")
                and not cleaned.get(f"decision_{i}_text", "").strip()
            ):
                self.add_error(
                    f"decision_{i}_text", gettext("Write the decision, or choose “no decision”.")
                )
        return cleaned


AttendanceRows = forms.formset_factory(AttendanceRow, extra=3)
ParagraphRows = forms.formset_factory(ParagraphRow, extra=0)


def initial(document: dict) -> dict:
    """The forms' initial values from the document."""
    m, history = document["meeting"], document.get("history") or {}
    by_position = {p["position"]: p["number"] for p in document["paragraphs"]}
    paragraphs = []
    for p in document["paragraphs"]:
        row = {k: p[k] for k in ("number", "section", "title", "text")}
        for i, d in enumerate(p["decisions"][:DECISIONS_SHOWN], start=1):
            row[f"decision_{i}_kind"], row[f"decision_{i}_text"] = d["kind"], d["text"]
        paragraphs.append(row)
    return {
        "meeting": {
            "body": document["body"]["slug"],
            "date": m["date"],
            "start_time": m["start_time"],
            "end_time": m["end_time"],
            "place": m["place"],
            "is_remote": m["is_remote"],
            "chair": document["chair"] or "",
            "secretaries": ", ".join(document["secretaries"]),
            "justerare": ", ".join(document["justerare"]),
            "justerat_on": history.get("justerat_on"),
            "anslag_on": history.get("anslag_on"),
        },
        "attendance": [
            {
                **{
                    k: a[k] or ""
                    for k in ("person", "capacity", "party", "role_title", "substitutes_for")
                },
                "present_from": by_position.get(a["present_from"]),
                "present_until": by_position.get(a["present_until"]),
            }
            for a in document["attendance"]
        ],
        "paragraphs": paragraphs,
    }


def corrected(
    document: dict, meeting: dict, attendance: list[dict], paragraphs: list[dict], bodies
) -> dict:
    """The document with the reviewed values (the forms' cleaned data)."""
    out = copy.deepcopy(document)
    body = next(b for b in bodies if b.slug == meeting["body"])
    out["body"] = {"name": body.name, "slug": body.slug, "kind": body.kind}
    out["meeting"].update(
        {
            "date": meeting["date"].isoformat(),
            "start_time": meeting["start_time"].strftime("%H:%M"),
            "end_time": meeting["end_time"].strftime("%H:%M") if meeting["end_time"] else None,
            "place": meeting["place"].strip(),
            "is_remote": meeting["is_remote"],
        }
    )
    out["chair"] = meeting["chair"].strip() or None
    out["secretaries"] = _names(meeting["secretaries"])
    out["justerare"] = _names(meeting["justerare"])
    history = out.setdefault("history", {"source_filename": "", "source_sha256": None})
    history["justerat_on"] = meeting["justerat_on"].isoformat() if meeting["justerat_on"] else None
    history["anslag_on"] = meeting["anslag_on"].isoformat() if meeting["anslag_on"] else None

    old = out["paragraphs"]
    position_of = {}
    new_paragraphs = []
    for position, row in enumerate(paragraphs, start=1):
        before = old[position - 1] if position <= len(old) else None
        decisions = []
        for i in range(1, DECISIONS_SHOWN + 1):
            if not row.get(f"decision_{i}_kind"):
                continue
            kept = (
                before["decisions"][i - 1]
                if before and len(before["decisions"]) >= i
                else {
                    "proposed_to": None,
                    "vote": None,
                    "uppdrag": [],
                    "reservations": [],
                    "jav": [],
                }
            )
            kind = row[f"decision_{i}_kind"]
            decisions.append(
                {
                    **kept,
                    "kind": kind,
                    "text": row[f"decision_{i}_text"].strip(),
                    "proposed_to": kept["proposed_to"] if kind == "forslag" else None,
                }
            )
        if before:
            decisions += before["decisions"][DECISIONS_SHOWN:]
        base = before or {
            "diarienummer": "",
            "is_confidential": False,
            "public_title": "",
            "is_struck": False,
            "responds_to": None,
        }
        new_paragraphs.append(
            {
                "position": position,
                "number": row["number"],
                "section": row["section"],
                "title": row["title"].strip(),
                "text": row["text"].strip(),
                "diarienummer": base["diarienummer"],
                "is_confidential": base["is_confidential"],
                "public_title": base["public_title"],
                "is_struck": base["is_struck"],
                "responds_to": base["responds_to"],
                "decisions": decisions,
            }
        )
        position_of[row["number"]] = position
    out["paragraphs"] = new_paragraphs
    out["attendance"] = [
        {
            "person": a["person"].strip(),
            "capacity": a["capacity"],
            "party": a["party"].strip() or None,
            "role_title": a["role_title"].strip(),
            "substitutes_for": a["substitutes_for"].strip() or None,
            "present_from": position_of.get(a["present_from"]),
            "present_until": position_of.get(a["present_until"]),
        }
        for a in attendance
        if a.get("person", "").strip()
    ]
    out["bilagor"] = [b for b in out["bilagor"] if b["paragraph"] <= len(new_paragraphs)]
    return out
