"""The protocol as JSON: one meeting's whole protocol, to export, archive and import.

The format is documented in docs/protocol-format.md. Export is deterministic, so that
export → import into an empty database → export gives the same bytes. Import is all
or nothing: the whole file is read and checked before anything is written, every
error names the field it is about (e.g. `paragraphs[3].decisions[0].kind`), and the
writes run in one transaction.
"""

import datetime
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings.models import (
    Attendance,
    Bilaga,
    CoSecretary,
    Decision,
    Justerare,
    Meeting,
    Paragraph,
)
from members.models import Body, Organisation, Party, Person, organisation_number_validator

FORMAT_NAME = "paragraf.protocol"
FORMAT_VERSION = 2
# Version 1 named one "secretary"; version 2 lists "secretaries". Both are read.
READS = (1, 2)


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


# --- Reading and checking a file ---------------------------------------------


class ProtocolFormatError(Exception):
    """A file that is not a valid protocol; `path` names the offending field."""

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


_MISSING = object()


class _Object:
    """One JSON object being read: each field is taken once, type-checked, and any
    field left over at the end is reported as unknown (a typo must not pass)."""

    def __init__(self, value: Any, path: str):
        if not isinstance(value, dict):
            raise ProtocolFormatError(path or "$", _("must be an object"))
        self.value = value
        self.path = path
        self.taken: set[str] = set()

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _raw(self, key: str, *, nullable: bool, default: Any = _MISSING) -> Any:
        self.taken.add(key)
        if key not in self.value:
            if default is not _MISSING:
                return default
            raise ProtocolFormatError(self._at(key), _("field is missing"))
        raw = self.value[key]
        if raw is None and not nullable:
            raise ProtocolFormatError(self._at(key), _("must not be null"))
        return raw

    def text(self, key: str, *, nullable=False, blank=True, max_length=None, default=_MISSING):
        raw = self._raw(key, nullable=nullable, default=default)
        if raw is None:
            return None
        if not isinstance(raw, str):
            raise ProtocolFormatError(self._at(key), _("must be a string"))
        if not blank and not raw.strip():
            raise ProtocolFormatError(self._at(key), _("must not be empty"))
        if max_length and len(raw) > max_length:
            raise ProtocolFormatError(
                self._at(key), _("is longer than %(n)s characters") % {"n": max_length}
            )
        return raw

    def integer(self, key: str, *, nullable=False, minimum=None, default=_MISSING):
        raw = self._raw(key, nullable=nullable, default=default)
        if raw is None:
            return None
        # bool is an int in Python, but `true` is no number in a protocol.
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ProtocolFormatError(self._at(key), _("must be a whole number"))
        if minimum is not None and raw < minimum:
            raise ProtocolFormatError(self._at(key), _("must be at least %(n)s") % {"n": minimum})
        return raw

    def boolean(self, key: str, *, default=_MISSING) -> bool:
        raw = self._raw(key, nullable=False, default=default)
        if not isinstance(raw, bool):
            raise ProtocolFormatError(self._at(key), _("must be true or false"))
        return raw

    def choice(self, key: str, choices) -> str:
        raw = self.text(key)
        allowed = [value for value, _label in choices]
        if raw not in allowed:
            raise ProtocolFormatError(
                self._at(key),
                _("unknown value %(value)r; allowed: %(allowed)s")
                % {"value": raw, "allowed": ", ".join(allowed)},
            )
        return raw

    def date(self, key: str, *, nullable=False, default=_MISSING) -> datetime.date | None:
        raw = self.text(key, nullable=nullable, default=default)
        if raw is None:
            return None
        try:
            return datetime.date.fromisoformat(raw)
        except ValueError:
            raise ProtocolFormatError(
                self._at(key), _("must be a date as YYYY-MM-DD, not %(value)r") % {"value": raw}
            ) from None

    def time(self, key: str, *, nullable=False) -> datetime.time | None:
        raw = self.text(key, nullable=nullable)
        if raw is None:
            return None
        try:
            if len(raw) != 5:
                raise ValueError
            return datetime.time.fromisoformat(raw)
        except ValueError:
            raise ProtocolFormatError(
                self._at(key), _("must be a time as HH:MM, not %(value)r") % {"value": raw}
            ) from None

    def obj(self, key: str, *, nullable=False, default=_MISSING) -> "_Object | None":
        raw = self._raw(key, nullable=nullable, default=default)
        return None if raw is None else _Object(raw, self._at(key))

    def items(self, key: str, *, default=_MISSING) -> list[tuple[Any, str]]:
        raw = self._raw(key, nullable=False, default=default)
        if not isinstance(raw, list):
            raise ProtocolFormatError(self._at(key), _("must be a list"))
        return [(item, f"{self._at(key)}[{i}]") for i, item in enumerate(raw)]

    def names(self, key: str) -> list[str]:
        names = []
        for item, path in self.items(key):
            if not isinstance(item, str) or not item.strip():
                raise ProtocolFormatError(path, _("must be a person's name"))
            names.append(item)
        return names

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.taken)
        if unknown:
            raise ProtocolFormatError(self._at(unknown[0]), _("unknown field"))


@dataclass
class _DecisionData:
    kind: str
    text: str
    proposed_to: dict | None
    vote: dict | None
    uppdrag: list[dict]
    reservations: list[dict]
    jav: list[str]


@dataclass
class _ParagraphData:
    path: str
    position: int
    number: int | None
    section: str
    title: str
    text: str
    diarienummer: str
    is_confidential: bool
    public_title: str
    is_struck: bool
    responds_to: dict | None
    decisions: list[_DecisionData] = field(default_factory=list)


def _read_body(o: _Object) -> dict:
    body = {
        "name": o.text("name", blank=False, max_length=200),
        "slug": o.text("slug", blank=False, max_length=80),
        "kind": o.choice("kind", Body.Kind.choices),
    }
    o.done()
    return body


def _read_decision(o: _Object) -> _DecisionData:
    kind = o.choice("kind", Decision.Kind.choices)
    text = o.text("text", blank=False)
    proposed = o.obj("proposed_to", nullable=True)
    proposed_to = _read_body(proposed) if proposed else None
    if kind == Decision.Kind.FORSLAG and proposed_to is None:
        raise ProtocolFormatError(
            o._at("proposed_to"), _("a proposal must name the body it goes to")
        )
    if kind != Decision.Kind.FORSLAG and proposed_to is not None:
        raise ProtocolFormatError(o._at("proposed_to"), _("only a proposal goes to a body"))
    vote = None
    v = o.obj("vote", nullable=True)
    if v:
        vote = {
            "for": v.integer("for", minimum=0),
            "against": v.integer("against", minimum=0),
            "abstaining": v.integer("abstaining", nullable=True, minimum=0),
            "result": v.text("result"),
        }
        v.done()
    uppdrag = []
    for item, path in o.items("uppdrag"):
        u = _Object(item, path)
        uppdrag.append(
            {
                "description": u.text("description", blank=False),
                "assignee": u.text("assignee", nullable=True, blank=False),
                "due_date": u.date("due_date", nullable=True),
            }
        )
        u.done()
    reservations = []
    for item, path in o.items("reservations"):
        r = _Object(item, path)
        reservations.append(
            {"person": r.text("person", blank=False), "motivation": r.text("motivation")}
        )
        r.done()
    jav = o.names("jav")
    for key, people in (("reservations", [r["person"] for r in reservations]), ("jav", jav)):
        if len(set(people)) != len(people):
            raise ProtocolFormatError(o._at(key), _("a person is named twice"))
    o.done()
    return _DecisionData(kind, text, proposed_to, vote, uppdrag, reservations, jav)


def _read_paragraph(o: _Object) -> _ParagraphData:
    is_confidential = o.boolean("is_confidential")
    public_title = o.text("public_title", max_length=300)
    if is_confidential and not public_title.strip():
        raise ProtocolFormatError(
            o._at("public_title"), _("a confidential paragraph needs a public title")
        )
    link = o.obj("responds_to", nullable=True)
    responds_to = None
    if link:
        responds_to = {
            "body": link.text("body", blank=False),
            "year": link.integer("year", minimum=1),
            "number": link.integer("number", minimum=1),
        }
        link.done()
    paragraph = _ParagraphData(
        path=o.path,
        position=o.integer("position", minimum=1),
        number=o.integer("number", nullable=True, minimum=1),
        section=o.choice("section", Paragraph.Section.choices),
        title=o.text("title", blank=False, max_length=300),
        text=o.text("text"),
        diarienummer=o.text("diarienummer", max_length=50),
        is_confidential=is_confidential,
        public_title=public_title,
        is_struck=o.boolean("is_struck"),
        responds_to=responds_to,
    )
    paragraph.decisions = [_read_decision(_Object(i, p)) for i, p in o.items("decisions")]
    o.done()
    return paragraph


def _check_numbering(paragraphs: list[_ParagraphData]) -> None:
    """Positions unique; § numbers unique, and either none or all, gap-free in order."""
    seen_positions: dict[int, str] = {}
    seen_numbers: dict[int, str] = {}
    for p in paragraphs:
        if p.position in seen_positions:
            raise ProtocolFormatError(
                f"{p.path}.position",
                _("position %(n)s is used twice") % {"n": p.position},
            )
        seen_positions[p.position] = p.path
        if p.number is not None:
            if p.number in seen_numbers:
                raise ProtocolFormatError(
                    f"{p.path}.number",
                    _("§ %(n)s is used twice (also at %(other)s)")
                    % {"n": p.number, "other": seen_numbers[p.number]},
                )
            seen_numbers[p.number] = p.path
    if seen_numbers and len(seen_numbers) != len(paragraphs):
        missing = next(p for p in paragraphs if p.number is None)
        raise ProtocolFormatError(
            f"{missing.path}.number",
            _("either every paragraph has a § number or none has"),
        )
    ordered = sorted(paragraphs, key=lambda p: p.position)
    for before, after in itertools.pairwise(ordered):
        if before.number is not None and after.number != before.number + 1:
            raise ProtocolFormatError(
                f"{after.path}.number",
                _("§ numbers must run on without gaps in agenda order: expected %(n)s")
                % {"n": before.number + 1},
            )


@dataclass
class _ProtocolData:
    organisation: dict
    body: dict
    meeting: dict
    chair: str | None
    secretaries: list[str]
    justerare: list[str]
    attendance: list[dict]
    paragraphs: list[_ParagraphData]
    bilagor: list[dict]
    history: dict | None = None  # a protocol made elsewhere: its justering and anslag


def read_protocol(data: Any) -> _ProtocolData:
    """Check a decoded JSON document against the format; raise ProtocolFormatError."""
    root = _Object(data, "")
    if isinstance(data, dict) and data.get("redacted") is not None:
        raise ProtocolFormatError(
            "redacted",
            _("the file is the public version of a protocol, which leaves out what is "
              "confidential; import the original"),
        )  # fmt: skip
    if root.text("format") != FORMAT_NAME:
        raise ProtocolFormatError("format", _("must be %(name)r") % {"name": FORMAT_NAME})
    version = root.integer("version")
    if version not in READS:
        raise ProtocolFormatError(
            "version",
            _("this version of Paragraf reads versions %(v)s")
            % {"v": ", ".join(str(v) for v in READS)},
        )

    org = root.obj("organisation")
    organisation = {
        "name": org.text("name", blank=False, max_length=200),
        "slug": org.text("slug", blank=False, max_length=80),
        "organisation_number": org.text("organisation_number", blank=False),
        "website": org.text("website", max_length=200),
    }
    try:
        organisation_number_validator(organisation["organisation_number"])
    except Exception:
        raise ProtocolFormatError(
            "organisation.organisation_number", _("must be written NNNNNN-NNNN")
        ) from None
    org.done()

    body = _read_body(root.obj("body"))

    m = root.obj("meeting")
    meeting = {
        "date": m.date("date"),
        "start_time": m.time("start_time"),
        "end_time": m.time("end_time", nullable=True),
        "place": m.text("place", max_length=200),
        "is_remote": m.boolean("is_remote"),
        "status": m.choice("status", Meeting.Status.choices),
    }
    if meeting["end_time"] and meeting["end_time"] <= meeting["start_time"]:
        raise ProtocolFormatError("meeting.end_time", _("must be later than the start time"))
    m.done()

    paragraphs = [_read_paragraph(_Object(i, p)) for i, p in root.items("paragraphs")]
    _check_numbering(paragraphs)
    positions = {p.position for p in paragraphs}

    def paragraph_ref(o: _Object, key: str) -> int | None:
        position = o.integer(key, nullable=True, minimum=1)
        if position is not None and position not in positions:
            raise ProtocolFormatError(
                o._at(key), _("no paragraph has position %(n)s") % {"n": position}
            )
        return position

    attendance = []
    seen_people: set[str] = set()
    for item, path in root.items("attendance"):
        a = _Object(item, path)
        row = {
            "person": a.text("person", blank=False, max_length=200),
            "capacity": a.choice("capacity", Attendance.Capacity.choices),
            "party": a.text("party", nullable=True, blank=False, max_length=200),
            "role_title": a.text("role_title", max_length=200),
            "substitutes_for": a.text("substitutes_for", nullable=True, blank=False),
            "present_from": paragraph_ref(a, "present_from"),
            "present_until": paragraph_ref(a, "present_until"),
        }
        a.done()
        if row["person"] in seen_people:
            raise ProtocolFormatError(f"{path}.person", _("the person is listed twice"))
        seen_people.add(row["person"])
        serving = row["capacity"] == Attendance.Capacity.TJANSTGORANDE_ERSATTARE
        if serving != (row["substitutes_for"] is not None):
            raise ProtocolFormatError(
                f"{path}.substitutes_for",
                _("a serving deputy, and only a serving deputy, names the member served for"),
            )
        if row["substitutes_for"] == row["person"]:
            raise ProtocolFormatError(f"{path}.substitutes_for", _("cannot serve for oneself"))
        if row["capacity"] == Attendance.Capacity.FRANVARANDE and (
            row["present_from"] or row["present_until"]
        ):
            raise ProtocolFormatError(f"{path}.present_from", _("an absent person has no range"))
        if (
            row["present_from"]
            and row["present_until"]
            and row["present_from"] > row["present_until"]
        ):
            raise ProtocolFormatError(f"{path}.present_until", _("the range ends before it starts"))
        attendance.append(row)

    bilagor = []
    seen_bilagor: set[int] = set()
    for item, path in root.items("bilagor"):
        b = _Object(item, path)
        row = {
            "number": b.integer("number", minimum=1),
            "title": b.text("title", blank=False, max_length=300),
            "paragraph": paragraph_ref(b, "paragraph"),
            "is_public": b.boolean("is_public"),
            "title_is_public": b.boolean("title_is_public", default=False),
            "filename": b.text("filename", max_length=255),
        }
        # The file is not in the document, so its checksum names nothing to import.
        b.text("sha256", nullable=True, default=None)
        b.done()
        if row["paragraph"] is None:
            raise ProtocolFormatError(f"{path}.paragraph", _("must not be null"))
        if row["number"] in seen_bilagor:
            raise ProtocolFormatError(
                f"{path}.number", _("Bilaga %(n)s is used twice") % {"n": row["number"]}
            )
        seen_bilagor.add(row["number"])
        bilagor.append(row)

    history = None
    if (h := root.obj("history", nullable=True, default=None)) is not None:
        history = {
            "justerat_on": h.date("justerat_on", nullable=True),
            "anslag_on": h.date("anslag_on", nullable=True),
            "source_filename": h.text("source_filename", max_length=255),
            "source_sha256": h.text("source_sha256", nullable=True),
        }
        h.done()
        for key in ("justerat_on", "anslag_on"):
            if history[key] and history[key] < meeting["date"]:
                raise ProtocolFormatError(f"history.{key}", _("must not be before the meeting"))
        if (
            history["justerat_on"]
            and history["anslag_on"]
            and (history["anslag_on"] < history["justerat_on"])
        ):
            raise ProtocolFormatError("history.anslag_on", _("must not be before the justering"))

    result = _ProtocolData(
        organisation=organisation,
        body=body,
        meeting=meeting,
        chair=root.text("chair", nullable=True, blank=False),
        secretaries=(
            [name for name in [root.text("secretary", nullable=True, blank=False)] if name]
            if version == 1
            else root.names("secretaries")
        ),
        justerare=root.names("justerare"),
        attendance=attendance,
        paragraphs=paragraphs,
        bilagor=bilagor,
        history=history,
    )
    if len(set(result.justerare)) != len(result.justerare):
        raise ProtocolFormatError("justerare", _("a person is named twice"))
    if len(set(result.secretaries)) != len(result.secretaries):
        raise ProtocolFormatError("secretaries", _("a person is named twice"))
    root.done()
    return result


# --- Import ------------------------------------------------------------------


@dataclass
class ImportResult:
    meeting: Meeting
    warnings: list[str]
    history: dict | None = None


class _Directory:
    """Finds or creates the organisation's people, parties and bodies by name."""

    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self._people: dict[str, Person] = {}
        self._parties: dict[str, Party] = {}
        self._bodies: dict[str, Body] = {}

    def person(self, name: str | None, path: str) -> Person | None:
        if name is None:
            return None
        if name not in self._people:
            matches = list(Person.objects.filter(organisation=self.organisation, name=name)[:2])
            if len(matches) > 1:
                raise ProtocolFormatError(
                    path,
                    _("%(name)s names more than one person of the organisation") % {"name": name},
                )
            self._people[name] = (
                matches[0]
                if matches
                else (Person.objects.create(organisation=self.organisation, name=name))
            )
        return self._people[name]

    def party(self, name: str | None) -> Party | None:
        if name is None:
            return None
        if name not in self._parties:
            self._parties[name], _created = Party.objects.get_or_create(
                organisation=self.organisation, name=name
            )
        return self._parties[name]

    def body(self, data: dict) -> Body:
        if data["slug"] not in self._bodies:
            self._bodies[data["slug"]], _created = Body.objects.get_or_create(
                organisation=self.organisation,
                slug=data["slug"],
                defaults={"name": data["name"], "kind": data["kind"]},
            )
        return self._bodies[data["slug"]]


def _organisation(data: dict) -> Organisation:
    organisation = Organisation.objects.filter(slug=data["slug"]).first()
    if organisation is None:
        if Organisation.objects.filter(organisation_number=data["organisation_number"]).exists():
            raise ProtocolFormatError(
                "organisation.organisation_number",
                _("belongs to another organisation of this installation"),
            )
        return Organisation.objects.create(**data)
    if organisation.organisation_number != data["organisation_number"]:
        raise ProtocolFormatError(
            "organisation.organisation_number",
            _("does not match the organisation %(slug)s on this installation")
            % {"slug": data["slug"]},
        )
    return organisation


def import_protocol(data: Any) -> ImportResult:
    """Create the meeting and its whole protocol from a decoded JSON document.

    Creates the organisation, bodies, parties and people it names if they are
    missing (people are matched by name within the organisation). All or nothing:
    on any error (ProtocolFormatError) the database is left as it was.
    """
    protocol = read_protocol(data)
    try:
        with transaction.atomic():
            return _write(protocol)
    except IntegrityError as e:  # a race with another writer; the checks above saw none
        raise ProtocolFormatError(
            "", _("the database refused the protocol: %(e)s") % {"e": e}
        ) from e


def _write(protocol: _ProtocolData) -> ImportResult:
    warnings: list[str] = []
    organisation = _organisation(protocol.organisation)
    directory = _Directory(organisation)
    body = directory.body(protocol.body)
    if (body.name, body.kind) != (protocol.body["name"], protocol.body["kind"]):
        raise ProtocolFormatError(
            "body", _("does not match the body %(slug)s on this installation") % protocol.body
        )
    if Meeting.objects.filter(
        body=body, date=protocol.meeting["date"], start_time=protocol.meeting["start_time"]
    ).exists():
        raise ProtocolFormatError(
            "meeting",
            _("%(body)s already has a meeting at this date and time") % {"body": body.name},
        )
    meeting = Meeting.objects.create(
        body=body,
        chair=directory.person(protocol.chair, "chair"),
        secretary=directory.person(protocol.secretaries[0], "secretaries[0]")
        if protocol.secretaries
        else None,
        **protocol.meeting,
    )
    for order, name in enumerate(protocol.secretaries[1:], start=1):
        CoSecretary.objects.create(
            meeting=meeting, person=directory.person(name, f"secretaries[{order}]"), order=order
        )
    for order, name in enumerate(protocol.justerare, start=1):
        Justerare.objects.create(
            meeting=meeting, person=directory.person(name, "justerare"), order=order
        )

    taken = set(
        Paragraph.objects.filter(
            body=body,
            year=meeting.year,
            number__in=[p.number for p in protocol.paragraphs if p.number],
        ).values_list("number", flat=True)
    )
    by_position: dict[int, Paragraph] = {}
    for p in protocol.paragraphs:
        if p.number in taken:
            raise ProtocolFormatError(
                f"{p.path}.number",
                _("§ %(n)s of %(body)s in %(year)s is already held by another meeting")
                % {"n": p.number, "body": body.name, "year": meeting.year},
            )
        paragraph = Paragraph.objects.create(
            meeting=meeting,
            position=p.position,
            number=p.number,
            section=p.section,
            title=p.title,
            text=p.text,
            diarienummer=p.diarienummer,
            is_confidential=p.is_confidential,
            public_title=p.public_title,
            is_struck=p.is_struck,
            responds_to=_resolve_link(organisation, p, warnings),
        )
        by_position[p.position] = paragraph
        from meetings import services  # services build on this module (export, hashes)

        services.write_decisions(
            paragraph,
            [
                _decision_data(d, directory, f"{p.path}.decisions[{i}]")
                for i, d in enumerate(p.decisions)
            ],
        )

    for order, a in enumerate(protocol.attendance):
        path = f"attendance[{order}]"
        Attendance.objects.create(
            meeting=meeting,
            order=order,
            person=directory.person(a["person"], f"{path}.person"),
            capacity=a["capacity"],
            substitutes_for=directory.person(a["substitutes_for"], f"{path}.substitutes_for"),
            party=directory.party(a["party"]),
            role_title=a["role_title"],
            present_from=by_position.get(a["present_from"]),
            present_until=by_position.get(a["present_until"]),
        )
    for b in protocol.bilagor:
        Bilaga.objects.create(
            meeting=meeting,
            paragraph=by_position[b["paragraph"]],
            number=b["number"],
            title=b["title"],
            is_public=b["is_public"],
            title_is_public=b["title_is_public"],
            filename=b["filename"],
        )
    return ImportResult(meeting=meeting, warnings=warnings, history=protocol.history)


def _resolve_link(organisation: Organisation, p: _ParagraphData, warnings: list[str]):
    if not p.responds_to:
        return None
    link = p.responds_to
    target = Paragraph.objects.filter(
        body__organisation=organisation,
        body__slug=link["body"],
        year=link["year"],
        number=link["number"],
    ).first()
    if target is None:
        warnings.append(
            _(
                "%(path)s.responds_to: § %(number)s of %(body)s %(year)s is not on this "
                "installation; the link was left out. Import that protocol first to keep it."
            )
            % {"path": p.path, **link}
        )
    return target


def _decision_data(d: _DecisionData, directory: _Directory, path: str):
    """A decision read from the file, in the shape every path writes decisions in
    (services.DecisionData)."""
    from meetings import services

    return services.DecisionData(
        kind=d.kind,
        text=d.text,
        proposed_to=directory.body(d.proposed_to) if d.proposed_to else None,
        votes_for=d.vote["for"] if d.vote else None,
        votes_against=d.vote["against"] if d.vote else None,
        votes_abstaining=d.vote["abstaining"] if d.vote else None,
        vote_result=d.vote["result"] if d.vote else "",
        uppdrag=tuple(
            services.TaskData(
                u["description"],
                directory.person(u["assignee"], f"{path}.uppdrag[{i}].assignee"),
                u["due_date"],
            )
            for i, u in enumerate(d.uppdrag)
        ),
        reservations=tuple(
            (directory.person(r["person"], f"{path}.reservations[{i}].person"), r["motivation"])
            for i, r in enumerate(d.reservations)
        ),
        jav=tuple(directory.person(name, f"{path}.jav[{i}]") for i, name in enumerate(d.jav)),
    )
