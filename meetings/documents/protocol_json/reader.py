"""Reading and checking a protocol file: nothing is written; every error names its field."""

import datetime
import itertools
from dataclasses import dataclass, field
from typing import Any, Literal, overload

from django.utils.translation import gettext as _

from meetings.documents.protocol_json.format import FORMAT_NAME, READS
from meetings.models import (
    Attendance,
    Decision,
    Meeting,
    Paragraph,
)
from members.models import Body, Organisation, organisation_number_validator

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

    @overload
    def obj(self, key: str, *, nullable: Literal[False] = False) -> "_Object": ...

    @overload
    def obj(self, key: str, *, nullable: bool, default: Any = _MISSING) -> "_Object | None": ...

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


def _model_rules(path: str, model, values: dict) -> None:
    """The model's own rules for these fields (reserved slugs, a website that is an
    http(s) address, a name on one line), the same the admin and the workspace
    apply: a file cannot bring in what a form would refuse."""
    from django.core.exceptions import ValidationError

    names = {f.name for f in model._meta.fields} - set(values)
    try:
        model(**values).clean_fields(exclude=names)
    except ValidationError as e:
        name, messages = next(iter(e.message_dict.items()))
        raise ProtocolFormatError(f"{path}.{name}", messages[0]) from None


def _read_body(o: _Object) -> dict:
    body = {
        "name": o.text("name", blank=False, max_length=200),
        "slug": o.text("slug", blank=False, max_length=80),
        "kind": o.choice("kind", Body.Kind.choices),
    }
    o.done()
    _model_rules("body", Body, body)
    return body


# The statuses an imported file can make true by itself (see read_protocol).
IMPORTED_STATUSES = (Meeting.Status.PLANERAT, Meeting.Status.GENOMFORT, Meeting.Status.INSTALLT)


def _obey(path: str, errors: dict) -> None:
    """A rule of the models (their *_errors methods, which clean() uses too) broken by
    the document: refused at the field it names."""
    for name, message in errors.items():
        raise ProtocolFormatError(f"{path}.{name}" if path else name, message)


def _read_decision(o: _Object) -> _DecisionData:
    kind = o.choice("kind", Decision.Kind.choices)
    text = o.text("text", blank=False)
    proposed = o.obj("proposed_to", nullable=True)
    proposed_to = _read_body(proposed) if proposed else None
    _obey(o.path, Decision.kind_errors(kind=kind, names_body=proposed_to is not None))
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
    _obey(o.path, Paragraph.confidentiality_errors(is_confidential, public_title))
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
    _refuse_public_version(data)
    version = _read_format(root)
    organisation = _read_organisation(root.obj("organisation"))
    body = _read_body(root.obj("body"))
    meeting = _read_meeting(root.obj("meeting"))
    paragraphs = [_read_paragraph(_Object(i, p)) for i, p in root.items("paragraphs")]
    _check_numbering(paragraphs)
    positions = {p.position for p in paragraphs}
    attendance = _read_attendance(root, positions)
    bilagor = _read_bilagor(root, positions)
    history = _read_history(root.obj("history", nullable=True, default=None), meeting["date"])
    result = _ProtocolData(
        organisation=organisation,
        body=body,
        meeting=meeting,
        chair=root.text("chair", nullable=True, blank=False),
        secretaries=_read_secretaries(root, version),
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


def _refuse_public_version(data: Any) -> None:
    """A public version lacks what is confidential: imported, it would pass for the whole."""
    if isinstance(data, dict) and data.get("redacted") is not None:
        raise ProtocolFormatError(
            "redacted",
            _(
                "the file is the public version of a protocol, which leaves out what is "
                "confidential; import the original"
            ),
        )


def _read_format(root: _Object) -> int:
    """The version decides how the rest is read, so it is checked before anything else."""
    if root.text("format") != FORMAT_NAME:
        raise ProtocolFormatError("format", _("must be %(name)r") % {"name": FORMAT_NAME})
    version = root.integer("version")
    if version not in READS:
        raise ProtocolFormatError(
            "version",
            _("this version of Paragraf reads versions %(v)s")
            % {"v": ", ".join(str(v) for v in READS)},
        )
    return version


def _read_organisation(org: _Object) -> dict:
    """The number is checked as the admin checks it: the import matches the organisation by it."""
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
    _model_rules("organisation", Organisation, organisation)
    return organisation


def _read_meeting(m: _Object) -> dict:
    """Only a status that the file alone can make true comes in (IMPORTED_STATUSES)."""
    meeting = {
        "date": m.date("date"),
        "start_time": m.time("start_time"),
        "end_time": m.time("end_time", nullable=True),
        "place": m.text("place", max_length=200),
        "is_remote": m.boolean("is_remote"),
        "status": m.choice("status", Meeting.Status.choices),
    }
    _obey("meeting", Meeting.time_errors(meeting["start_time"], meeting["end_time"]))
    if meeting["status"] not in IMPORTED_STATUSES:
        # What a status says must be true: a kallat meeting has its kallelse, a
        # protocol under justering its approvers and deadline, a justerat one its
        # sealed or imported original. A file brings none of these.
        raise ProtocolFormatError(
            "meeting.status",
            _(
                "a file brings a planned, held or cancelled meeting (planerat, genomfort, "
                "installt); the kallelse and the justering are made in Paragraf, and a "
                "justerat protocol comes in with its original document through the legacy "
                "import (Importera protokoll, manage.py import_legacy)"
            ),
        )
    m.done()
    return meeting


def _paragraph_ref(o: _Object, key: str, positions: set[int]) -> int | None:
    """Attendance and bilagor point at a paragraph by position, which must exist."""
    position = o.integer(key, nullable=True, minimum=1)
    if position is not None and position not in positions:
        raise ProtocolFormatError(
            o._at(key), _("no paragraph has position %(n)s") % {"n": position}
        )
    return position


def _read_attendance(root: _Object, positions: set[int]) -> list[dict]:
    """One row a person: the rules of the model (Attendance.capacity_errors) hold for each."""
    attendance = []
    seen_people: set[str] = set()
    for item, path in root.items("attendance"):
        row = _read_attendance_row(_Object(item, path), positions)
        if row["person"] in seen_people:
            raise ProtocolFormatError(f"{path}.person", _("the person is listed twice"))
        seen_people.add(row["person"])
        _obey(
            path,
            Attendance.capacity_errors(
                capacity=row["capacity"],
                person=row["person"],
                substitutes_for=row["substitutes_for"],
                from_position=row["present_from"],
                until_position=row["present_until"],
            ),
        )
        attendance.append(row)
    return attendance


def _read_attendance_row(a: _Object, positions: set[int]) -> dict:
    # Every field is taken before done(), so a typo is reported as an unknown field.
    row = {
        "person": a.text("person", blank=False, max_length=200),
        "capacity": a.choice("capacity", Attendance.Capacity.choices),
        "party": a.text("party", nullable=True, blank=False, max_length=200),
        "role_title": a.text("role_title", max_length=200),
        "substitutes_for": a.text("substitutes_for", nullable=True, blank=False),
        "present_from": _paragraph_ref(a, "present_from", positions),
        "present_until": _paragraph_ref(a, "present_until", positions),
    }
    a.done()
    return row


def _read_bilagor(root: _Object, positions: set[int]) -> list[dict]:
    """A bilaga belongs to a paragraph, and its number is cited, so it is used once."""
    bilagor = []
    seen_bilagor: set[int] = set()
    for item, path in root.items("bilagor"):
        row = _read_bilaga(_Object(item, path), positions)
        if row["paragraph"] is None:
            raise ProtocolFormatError(f"{path}.paragraph", _("must not be null"))
        if row["number"] in seen_bilagor:
            raise ProtocolFormatError(
                f"{path}.number", _("Bilaga %(n)s is used twice") % {"n": row["number"]}
            )
        seen_bilagor.add(row["number"])
        bilagor.append(row)
    return bilagor


def _read_bilaga(b: _Object, positions: set[int]) -> dict:
    # Every field is taken before done(), so a typo is reported as an unknown field.
    row = {
        "number": b.integer("number", minimum=1),
        "title": b.text("title", blank=False, max_length=300),
        "paragraph": _paragraph_ref(b, "paragraph", positions),
        "is_public": b.boolean("is_public"),
        "title_is_public": b.boolean("title_is_public", default=False),
        "filename": b.text("filename", max_length=255),
    }
    # The file is not in the document, so its checksum names nothing to import.
    b.text("sha256", nullable=True, default=None)
    b.done()
    return row


def _read_history(h: _Object | None, meeting_date: datetime.date) -> dict | None:
    """A protocol made elsewhere keeps its own days, which cannot run backwards."""
    if h is None:
        return None
    history = {
        "justerat_on": h.date("justerat_on", nullable=True),
        "anslag_on": h.date("anslag_on", nullable=True),
        "source_filename": h.text("source_filename", max_length=255),
        "source_sha256": h.text("source_sha256", nullable=True),
    }
    h.done()
    for key in ("justerat_on", "anslag_on"):
        if history[key] and history[key] < meeting_date:
            raise ProtocolFormatError(f"history.{key}", _("must not be before the meeting"))
    if (
        history["justerat_on"]
        and history["anslag_on"]
        and (history["anslag_on"] < history["justerat_on"])
    ):
        raise ProtocolFormatError("history.anslag_on", _("must not be before the justering"))
    return history


def _read_secretaries(root: _Object, version: int) -> list[str]:
    """Version 1 had one secretary; a meeting can have several."""
    if version == 1:
        return [name for name in [root.text("secretary", nullable=True, blank=False)] if name]
    return root.names("secretaries")
