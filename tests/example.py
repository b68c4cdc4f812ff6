"""The example förbund of shared/examples as plain builders: the conftest fixtures
(`organisation`, `au`, `seats`, `planned`, `drafted` …) call these one piece at a
time, and a module that shares one world among its tests (`shared_rows` in
conftest) builds it whole with `world()`."""

import datetime
from types import SimpleNamespace

from django.contrib.auth.models import User

from members.models import Membership, Party, StaffRole
from tests import factories

SEAT_TERM = {"start": datetime.date(2019, 1, 1), "end": datetime.date(2022, 12, 31)}


def other_organisation():
    return factories.organisation(
        name="Samordningsförbundet Söderhavet", slug="soderhavet", number="222000-5678"
    )


def styrelse(organisation):
    return factories.body(organisation, "Styrelsen", "styrelse", kind="styrelse")


def au(organisation, styrelse):
    return factories.body(
        organisation,
        "Arbetsutskottet",
        "arbetsutskott",
        kind="arbetsutskott",
        prepares_for=styrelse,
    )


PEOPLE = {
    "fredrik": ("Fredrik Hansson", {}),
    "annica": ("Annica Alatalo", {}),
    "bengt": ("Bengt-Åke Strand", {}),
    "asa": ("Åsa Snårbacka", {"title": "Förbundschef"}),
}


def person(organisation, key):
    name, fields = PEOPLE[key]
    return factories.person(organisation, name, **fields)


def seats(au, fredrik, annica, bengt, organisation):
    """The arbetsutskott of the example: three members and one deputy."""
    party = {
        name: Party.objects.create(organisation=organisation, name=name)
        for name in ("Luleå kommun", "Försäkringskassan", "Region Norrbotten")
    }
    deputy = factories.person(organisation, "Lisa Persson", email="lisa@example.se")
    for someone, role, party_name in (
        (fredrik, "ordforande", "Luleå kommun"),
        (annica, "ledamot", "Försäkringskassan"),
        (bengt, "ledamot", "Region Norrbotten"),
        (deputy, "ersattare", "Luleå kommun"),
    ):
        Membership.objects.create(
            person=someone, body=au, role=role, party=party[party_name], **SEAT_TERM
        )
    for someone in (fredrik, annica, bengt):
        someone.email = f"{someone.name.split()[0].lower()}@example.se"
        someone.save()
    return {"deputy": deputy, "parties": party}


def secretary_account(username, organisation, person=None):
    user = User.objects.create_user(username, password="hemligt-lösenord-1")
    StaffRole.objects.create(user=user, organisation=organisation, role="sekreterare")
    if person is not None:
        person.user = user
        person.save()
    return user


def planned(au, secretary):
    from meetings.actions import services

    return services.plan_meeting(
        au,
        by=secretary,
        date=datetime.date(2021, 9, 27),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 0),
        place="Via Teams",
        is_remote=True,
    )


def drafted(planned, styrelse):
    """The example's arbetsutskott meeting, numbered, with a proposal and a bilaga."""
    from meetings.actions import services
    from meetings.models import Bilaga, Decision

    item = services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    Decision.objects.create(
        paragraph=item,
        kind="forslag",
        proposed_to=styrelse,
        text="Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet.",
    )
    Bilaga.objects.create(meeting=planned, paragraph=item, number=1, title="Tjänsteköpsavtal")
    return planned


def world() -> SimpleNamespace:
    """The whole example as the fixtures build it for `drafted`, and the other förbund."""
    w = planned_world()
    w.drafted = drafted(w.planned, w.styrelse)
    return w


def planned_world(*, other: bool = True) -> SimpleNamespace:
    """The example as the fixtures build it for `planned`, and (`other`) the other förbund."""
    w = SimpleNamespace(organisation=factories.organisation())
    if other:
        w.other_organisation = other_organisation()
    w.styrelse = styrelse(w.organisation)
    w.au = au(w.organisation, w.styrelse)
    for key in PEOPLE:
        setattr(w, key, person(w.organisation, key))
    w.seats = seats(w.au, w.fredrik, w.annica, w.bengt, w.organisation)
    w.secretary = secretary_account("asa", w.organisation, w.asa)
    w.planned = planned(w.au, w.secretary)
    return w


def justerat_world(*, bilaga_file: bool = False) -> SimpleNamespace:
    """`world()` (one förbund) with its protocol justerat as conftest's `justerat`
    makes it (sent to the chair and Annica, both approving), not yet published; with
    `bilaga_file`, its bilaga has a file (a PDF) before justering."""
    from django.core.files.base import ContentFile

    from tests.conftest import justera

    w = planned_world(other=False)
    w.drafted = drafted(w.planned, w.styrelse)
    if bilaga_file:
        bilaga = w.drafted.bilagor.get()
        bilaga.filename = "avtal.pdf"
        bilaga.file.save("avtal.pdf", ContentFile(b"%PDF-1.4\n% avtalet\n"))
    justera(w.drafted, justerare=[w.annica], by=w.secretary)
    w.drafted.refresh_from_db()
    w.justerat = w.drafted
    return w


def published_world() -> SimpleNamespace:
    """`world()` with its protocol justerat (sent to the chair and Annica, both
    approving) and published today: the conftest's `published` fixtures, built once
    for a module of tests that only read it (`shared_rows`)."""
    from meetings.actions import publication
    from tests.conftest import justera

    w = planned_world(other=False)  # as the fixtures build it: one förbund
    w.drafted = drafted(w.planned, w.styrelse)
    justera(w.drafted, justerare=[w.annica], by=w.secretary)
    publication.publish(w.drafted, by=None)
    w.drafted.refresh_from_db()
    w.published = w.drafted
    return w
