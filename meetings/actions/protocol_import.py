"""Writing a protocol the reader accepted, all or nothing, in one transaction."""

from dataclasses import dataclass
from typing import Any, overload

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings.actions import services
from meetings.documents.protocol_json.reader import (
    ProtocolFormatError,
    _DecisionData,
    _ParagraphData,
    _ProtocolData,
    read_protocol,
)
from meetings.models import (
    Attendance,
    Bilaga,
    CoSecretary,
    Justerare,
    Meeting,
    Paragraph,
)
from members.models import Body, Organisation, Party, Person

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

    @overload
    def person(self, name: str, path: str) -> Person: ...

    @overload
    def person(self, name: str | None, path: str) -> Person | None: ...

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
    # The decisions after the attendance: each is checked against who voted at its §.
    for p in protocol.paragraphs:
        try:
            services.write_decisions(
                by_position[p.position],
                [
                    _decision_data(d, directory, f"{p.path}.decisions[{i}]")
                    for i, d in enumerate(p.decisions)
                ],
            )
        except services.DecisionRefused as refused:
            field, message = next(iter(refused.errors.items()))
            in_file = {"votes_for": "vote"}.get(field, field)  # the file's name of the field
            raise ProtocolFormatError(
                f"{p.path}.decisions[{refused.order}].{in_file}", message
            ) from refused
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
