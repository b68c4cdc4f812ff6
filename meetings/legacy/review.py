"""The secretary's review of a parsed legacy protocol: the fields as forms (the
meeting, the attendance, each paragraph and its decisions), and the document made
again from what she corrected. What the forms do not show (uppdrag, reservations,
jäv, bilagor) is kept as parsed."""

import copy
import datetime
import re

from django import forms
from django.utils.text import capfirst, slugify
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
    diarienummer = forms.CharField(label=_("Dnr"), max_length=100, required=False)
    text = forms.CharField(
        label=capfirst(_("text")), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_confidential = forms.BooleanField(
        label=_("Confidential (the public version shows the public title only)"), required=False
    )
    public_title = forms.CharField(
        label=capfirst(_("public title")), max_length=300, required=False
    )
    is_struck = forms.BooleanField(
        label=_("Struck from the agenda (not dealt with)"), required=False
    )
    responds_to = forms.CharField(
        label=capfirst(_("answers")),
        max_length=200,
        required=False,
        help_text=_(
            "The § of another body's protocol this one deals with, as “Arbetsutskottet "
            "§ 12/2024”; empty when none."
        ),
    )

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.bodies = bodies
        kinds = [("", gettext("(no decision)")), *Decision.Kind.choices]
        for i in range(1, DECISIONS_SHOWN + 1):
            n = {"n": i}
            self.fields[f"decision_{i}_kind"] = forms.ChoiceField(
                label=capfirst(gettext("decision %(n)s") % n), choices=kinds, required=False
            )
            self.fields[f"decision_{i}_text"] = forms.CharField(
                label=capfirst(gettext("text of decision %(n)s") % n),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"decision_{i}_proposed_to"] = forms.CharField(
                label=capfirst(gettext("proposed to (body), decision %(n)s") % n),
                max_length=200,
                required=False,
            )
            self.fields[f"decision_{i}_uppdrag"] = forms.CharField(
                label=capfirst(gettext("uppdrag of decision %(n)s") % n),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_(
                    "One a line: what; who; due YYYY-MM-DD (who and the day may be left out)."
                ),
            )
            self.fields[f"decision_{i}_reservations"] = forms.CharField(
                label=capfirst(gettext("reservations to decision %(n)s") % n),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("One a line: name; motivation (the motivation may be left out)."),
            )
            self.fields[f"decision_{i}_jav"] = forms.CharField(
                label=capfirst(gettext("jäv at decision %(n)s") % n),
                max_length=500,
                required=False,
                help_text=_("Names, separated by commas."),
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
            uppdrag = []
            for line in _lines(cleaned.get(f"decision_{i}_uppdrag", "")):
                what, who, due = [*[x.strip() for x in line.split(";")], "", ""][:3]
                day = None
                if due:
                    try:
                        day = datetime.date.fromisoformat(due)
                    except ValueError:
                        self.add_error(
                            f"decision_{i}_uppdrag",
                            gettext("Write the due day as YYYY-MM-DD: %(line)s") % {"line": line},
                        )
                uppdrag.append(
                    {
                        "description": what,
                        "assignee": who or None,
                        "due_date": day.isoformat() if day else None,
                    }
                )
            cleaned[f"decision_{i}_uppdrag_list"] = uppdrag
            cleaned[f"decision_{i}_reservations_list"] = [
                {"person": r[0].strip(), "motivation": r[1].strip() if len(r) > 1 else ""}
                for r in (
                    line.split(";", 1)
                    for line in _lines(cleaned.get(f"decision_{i}_reservations", ""))
                )
                if r[0].strip()
            ]
            cleaned[f"decision_{i}_jav_list"] = _names(cleaned.get(f"decision_{i}_jav", ""))
        said = cleaned.get("responds_to", "").strip()
        link = ANSWERED.fullmatch(said)
        if said and not link:
            self.add_error(
                "responds_to", gettext("Write the § it answers as “Arbetsutskottet § 12/2024”.")
            )
        cleaned["responds_to_link"] = (
            {
                "body": (link["before"] or link["after"]).strip(" ,"),
                "number": int(link["number"]),
                "year": int(link["year"]),
            }
            if link and (link["before"] or link["after"]).strip(" ,")
            else None
        )
        if link and cleaned["responds_to_link"] is None:
            self.add_error("responds_to", gettext("Name the body whose § it answers."))
        elif cleaned["responds_to_link"] and self.bodies:
            said = cleaned["responds_to_link"]["body"]
            body = _answered_body(said, self.bodies)
            if body is None:
                self.add_error(
                    "responds_to",
                    gettext("No body here is called “%(said)s”: write one of %(bodies)s.")
                    % {"said": said, "bodies": ", ".join(b.name for b in self.bodies)},
                )
            cleaned["responds_to_link"]["body"] = body
        if cleaned.get("is_confidential") and not cleaned.get("public_title", "").strip():
            self.add_error("public_title", gettext("A confidential § needs its public title."))
        return cleaned


# "Arbetsutskottet § 12/2024" or "§ 12/2024 Arbetsutskottet".
ANSWERED = re.compile(
    r"(?P<before>[^§]*?)\s*§\s*(?P<number>\d+)\s*/\s*(?P<year>\d{4})\s*(?P<after>[^§]*)",
    re.IGNORECASE,
)


def _answered(link: dict | None, bodies=()) -> str:
    if not link:
        return ""
    name = next(
        (b.name for b in bodies if link["body"] in (b.slug, b.kind)), capfirst(link["body"])
    )
    return f"{name} § {link['number']}/{link['year']}"


# What a secretary writes for a body of a kind ("AU § 12/2024").
BODY_SHORT = {"au": "arbetsutskott", "ks": "styrelse"}


def _answered_body(said: str, bodies) -> str | None:
    """The slug of the organisation's body the review names (by name, slug, kind or
    short name), else None."""
    said = said.casefold()
    said = BODY_SHORT.get(said, said)
    for b in bodies:
        if said in (b.name.casefold(), b.slug.casefold(), b.kind.casefold()):
            return b.slug
    return None


class BilagaRow(forms.Form):
    number = forms.IntegerField(label=capfirst(_("bilaga")), min_value=1)
    title = forms.CharField(label=capfirst(_("title")), max_length=300)
    paragraph = forms.IntegerField(label=capfirst(_("belongs to §")), min_value=1)


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


AttendanceRows = forms.formset_factory(AttendanceRow, extra=3)
ParagraphRows = forms.formset_factory(ParagraphRow, extra=0)
BilagaRows = forms.formset_factory(BilagaRow, extra=0)


def initial(document: dict, bodies=()) -> dict:
    """The forms' initial values from the document."""
    m, history = document["meeting"], document.get("history") or {}
    by_position = {p["position"]: p["number"] for p in document["paragraphs"]}
    paragraphs = []
    for p in document["paragraphs"]:
        row = {
            k: p[k]
            for k in (
                "number", "section", "title", "diarienummer", "text", "is_confidential",
                "public_title",
            )
        }  # fmt: skip
        row["is_struck"] = p["is_struck"]
        row["responds_to"] = _answered(p["responds_to"], bodies)
        for i, d in enumerate(p["decisions"][:DECISIONS_SHOWN], start=1):
            row[f"decision_{i}_kind"], row[f"decision_{i}_text"] = d["kind"], d["text"]
            row[f"decision_{i}_proposed_to"] = (d["proposed_to"] or {}).get("name", "")
            row[f"decision_{i}_uppdrag"] = "\n".join(
                "; ".join(
                    x for x in (u["description"], u["assignee"] or "", u["due_date"] or "") if x
                )
                if u["due_date"] or not u["assignee"]
                else f"{u['description']}; {u['assignee']}"
                for u in d["uppdrag"]
            )
            row[f"decision_{i}_reservations"] = "\n".join(
                f"{r['person']}; {r['motivation']}" if r["motivation"] else r["person"]
                for r in d["reservations"]
            )
            row[f"decision_{i}_jav"] = ", ".join(d["jav"])
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
        "bilagor": [
            {
                "number": b["number"],
                "title": b["title"],
                "paragraph": by_position.get(b["paragraph"]),
            }
            for b in document["bilagor"]
        ],
    }


def corrected(
    document: dict,
    meeting: dict,
    attendance: list[dict],
    paragraphs: list[dict],
    bodies,
    bilagor: list[dict] | None = None,
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
                    "proposed_to": _proposed_to(
                        row.get(f"decision_{i}_proposed_to", ""), kept["proposed_to"], bodies
                    )
                    if kind == "forslag"
                    else None,
                    "uppdrag": row.get(f"decision_{i}_uppdrag_list", kept["uppdrag"]),
                    "reservations": row.get(
                        f"decision_{i}_reservations_list", kept["reservations"]
                    ),
                    "jav": row.get(f"decision_{i}_jav_list", kept["jav"]),
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
                "diarienummer": row.get("diarienummer", base["diarienummer"]).strip(),
                "is_confidential": row.get("is_confidential", base["is_confidential"]),
                "public_title": (
                    row.get("public_title", base["public_title"]).strip()
                    if row.get("is_confidential", base["is_confidential"])
                    else ""
                ),
                "is_struck": row.get("is_struck", base["is_struck"]),
                "responds_to": _responds_to(row, base["responds_to"], bodies),
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
    if bilagor is None:
        out["bilagor"] = [b for b in out["bilagor"] if b["paragraph"] <= len(new_paragraphs)]
        return out
    by_number = {b["number"]: b for b in out["bilagor"]}
    out["bilagor"] = []
    for row in sorted(bilagor, key=lambda r: r["number"]):
        position = position_of.get(row["paragraph"])
        before = by_number.get(row["number"], {})
        out["bilagor"].append(
            {
                "number": row["number"],
                "title": row["title"].strip(),
                # A § number the protocol does not hold is refused by check() with the field.
                "paragraph": position if position is not None else 0,
                "is_public": before.get("is_public", True),
                "title_is_public": before.get("title_is_public", False),
                "filename": before.get("filename", ""),
                "sha256": before.get("sha256"),
            }
        )
    for b in out["bilagor"]:
        p = out["paragraphs"][b["paragraph"] - 1] if b["paragraph"] else None
        if p is not None and p["is_confidential"]:
            b["is_public"] = False  # the bilaga of a confidential § is not public
    return out


def _responds_to(row: dict, kept: dict | None, bodies) -> dict | None:
    if "responds_to_link" not in row:
        return kept  # (a row without the field: kept as read)
    return row["responds_to_link"]  # (its body the organisation's, clean() made sure)


def _proposed_to(name: str, kept: dict | None, bodies) -> dict | None:
    """The body a proposal goes to, as the review names it: the organisation's own
    body of that name, else another body (Kommunfullmäktige) by its name."""
    name = name.strip()
    if not name:
        return kept
    own = next((b for b in bodies if b.name.casefold() == name.casefold()), None)
    if own is not None:
        return {"name": own.name, "slug": own.slug, "kind": own.kind}
    if kept and kept["name"].casefold() == name.casefold():
        return kept
    return {"name": name, "slug": slugify(name), "kind": "other"}


# -- Which form fields the reading was unsure of ---------------------------------

MEETING_PATHS = [
    ("body", ("body", "organisation")), ("date", ("meeting.date",)),
    ("start_time", ("meeting.start_time",)), ("end_time", ("meeting.end_time",)),
    ("place", ("meeting.place",)), ("is_remote", ("meeting.is_remote",)),
    ("chair", ("chair",)), ("secretaries", ("secretaries",)), ("justerare", ("justerare",)),
    ("justerat_on", ("history.justerat_on",)), ("anslag_on", ("history.anslag_on",)),
]  # fmt: skip
DECISION_PARTS = ("kind", "text", "proposed_to", "uppdrag", "reservations", "jav")


def meeting_marks(unsure: set[str]) -> set[str]:
    return {name for name, paths in MEETING_PATHS if any(p in unsure for p in paths)}


def row_marks(unsure: set[str], kind: str, index: int) -> set[str]:
    """The fields of row `index` of "attendance", "paragraphs" or "bilagor" marked.
    A mark on a whole decision list marks every decision field shown."""
    prefix = f"{kind}[{index}]."
    out = set()
    for path in unsure:
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        if kind != "paragraphs":
            out.add(rest.split(".")[0].split("[")[0])
        elif rest == "decisions":
            out |= {f"decision_{i}_{part}" for i in range(1, 3) for part in DECISION_PARTS}
        elif rest.startswith("decisions["):
            number = int(rest[len("decisions[") : rest.index("]")]) + 1
            part = rest.split(".", 1)[1] if "." in rest else "text"
            out.add(f"decision_{number}_{part.split('.')[0].split('[')[0]}")
            if part.startswith("proposed_to"):
                out.add(f"decision_{number}_kind")
        else:
            field = rest.split(".")[0]
            out.add(field)
            if field == "is_confidential":
                out.add("public_title")
    return out


FIELD_NAMES = {
    "number": _("number"), "title": _("title"), "text": _("text"), "section": _("section"),
    "paragraph": _("belongs to §"), "person": _("name"), "responds_to": _("answers"),
    "present_from": _("from §"), "present_until": _("until §"), "decisions": _("decisions"),
}  # fmt: skip


def readable(message: str, document: dict) -> str:
    """A message that names a field as the format does ("paragraphs[0].number: …",
    "bilagor[0].paragraph: …") names it as the review shows it ("§ 40, number: …",
    "Bilaga 1, belongs to §: …")."""

    def name(match) -> str:
        kind, index, field = match[1], int(match[2]), match[3] or ""
        rows = document.get(kind) or []
        row = rows[index] if index < len(rows) else {}
        where = {
            "paragraphs": f"§ {row.get('number', index + 1)}",
            "bilagor": f"{capfirst(gettext('bilaga'))} {row.get('number', index + 1)}",
            "attendance": row.get("person") or f"{gettext('person')} {index + 1}",
        }[kind]
        what = FIELD_NAMES.get(field.split(".")[0].split("[")[0])
        return f"{where}, {what}: " if what else f"{where}: "

    pattern = r"\b(paragraphs|bilagor|attendance)\[(\d+)\](?:\.([\w.\[\]]+))?:\s*"
    return re.sub(pattern, name, message)
