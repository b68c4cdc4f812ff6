"""Beslutsuppföljning by the assignee: the person an uppdrag of a justerat protocol
is given to says how it stands, on their own page under /ledamot/, through the same
rule as the secretary (meetings/actions/followup.record)."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import followup, services
from meetings.models import Decision, FollowUp, Uppdrag
from tests import example
from tests.conftest import justera, shared_rows

LIST = "/ledamot/uppdrag/"


def _account(person, username):
    person.user = User.objects.create_user(username, password="hemligt-lösenord-1")
    person.save()
    return person.user


def _justerat_with_uppdrag(drafted, annica, fredrik, secretary, *, more=0):
    """Annica's two uppdrag and Fredrik's one, of the arbetsutskott's protocol
    (decided in its § 1), justerat; with `more`, as many more of Annica's."""
    decision = Decision.objects.filter(paragraph__meeting=drafted).first()
    made = [
        Uppdrag.objects.create(decision=decision, description=text, assignee=who, due_date=due)
        for text, who, due in (
            ("Ta fram en budget för 2022", annica, datetime.date(2021, 11, 15)),
            ("Rapportera om samverkan", fredrik, datetime.date(2021, 12, 10)),
            ("Utvärdera tjänsteköpet", annica, None),
            *(
                (f"Uppdrag nummer {n}", annica, datetime.date(2022, 1, n))
                for n in range(1, more + 1)
            ),
        )
    ]
    justera(drafted, justerare=[annica], by=secretary)
    return made


def _build() -> SimpleNamespace:
    """The example's förbund with Annica's and Fredrik's accounts and the arbetsutskott's
    protocol justerat with their uppdrag: built once for the module (`shared_rows`)."""
    w = example.planned_world(other=False)
    w.drafted = example.drafted(w.planned, w.styrelse)
    w.accounts = _account(w.annica, "annica"), _account(w.fredrik, "fredrik")
    w.uppdrag = _justerat_with_uppdrag(w.drafted, w.annica, w.fredrik, w.secretary)
    return w


_world_built, world = shared_rows("world", _build)


@pytest.fixture
def uppdrag(world):
    return world.uppdrag


@pytest.fixture
def accounts(world):
    return world.accounts


@pytest.fixture
def annica_client(client, accounts):
    client.force_login(accounts[0])
    return client


def _not_justerat(au, secretary, annica) -> Uppdrag:
    """An uppdrag for Annica in a protocol still being written."""
    meeting = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 12, 13), start_time=datetime.time(9)
    )
    item = services.add_item(meeting, section="beslut", title="Verksamhetsplan")
    services.start_protocol(meeting)
    decision = Decision.objects.create(paragraph=item, kind="beslut", text="Beslutas att …")
    return Uppdrag.objects.create(
        decision=decision, description="Skriva verksamhetsplanen", assignee=annica
    )


def test_the_assignee_sees_their_own_uppdrag_of_justerat_protocols(world, uppdrag, annica_client):
    _not_justerat(world.au, world.secretary, world.annica)
    number = uppdrag[0].decision.paragraph.number

    response = annica_client.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{_('My uppdrag')}</h1>" in html
    cards = re.findall(r'<h2 class="h5" id="uppdrag-\d+-title">([^<]*)</h2>', html)
    assert cards == ["Ta fram en budget för 2022", "Utvärdera tjänsteköpet"]
    assert f"Arbetsutskottet 27 september 2021, § {number} Tjänsteköp Samordnare" in html
    assert "15 november 2021" in html
    assert "ej påbörjat" in html
    assert '<strong class="text-danger">försenat</strong>' in html  # due 2021-11-15
    assert f'action="/ledamot/uppdrag/{uppdrag[0].pk}/"' in html
    assert "Rapportera om samverkan" not in html  # Fredrik's
    assert "Skriva verksamhetsplanen" not in html  # not justerat


def test_the_start_page_and_my_meetings_lead_there(annica_client):
    link = f'<a href="{LIST}">'
    assert link in annica_client.get(reverse("start")).content.decode()
    assert link in annica_client.get(reverse("member:meetings")).content.decode()


def test_someone_with_no_uppdrag_is_told_so(world, client):
    client.force_login(_account(world.bengt, "bengt"))

    html = client.get(LIST).content.decode()

    assert _("No uppdrag of a justerat protocol is given to you.") in html
    assert "Ta fram en budget" not in html


def test_the_assignee_records_how_it_stands_and_the_history_says_who(
    world, uppdrag, annica_client, accounts
):
    secretary = world.secretary
    budget = uppdrag[0]
    url = reverse("member:uppdrag_edit", args=[budget.pk])

    response = annica_client.post(
        url, {"status": "pagar", "note": "Utkast till styrelsen i januari", "as_of": "2021-11-20"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{LIST}#uppdrag-{budget.pk}"
    saved = FollowUp.objects.get(uppdrag=budget)
    assert (saved.status, saved.note, saved.status_date, saved.changed_by) == (
        "pagar",
        "Utkast till styrelsen i januari",
        datetime.date(2021, 11, 20),
        accounts[0],
    )
    assert [(h.status, h.history_user) for h in saved.history.all()] == [("pagar", accounts[0])]
    followed = annica_client.get(LIST).content.decode()
    assert "Uppföljningen är sparad." in followed
    assert "pågår (per 2021-11-20)" in followed
    assert "Utkast till styrelsen i januari" in followed

    # The secretary marks it done in the workspace: the assignee reads who did what.
    followup.record(budget, status="klar", note="Budgeten fastställd", by=secretary)
    page = annica_client.get(url).content.decode()
    by = _("by %(name)s")
    assert by % {"name": "Åsa Snårbacka"} + ": Budgeten fastställd" in page
    assert by % {"name": "Annica Alatalo"} + ": Utkast till styrelsen i januari" in page
    assert "<strong" not in page.split("<dl", 1)[1].split("</dl>")[0]  # done: not late


def test_another_persons_uppdrag_is_not_found(uppdrag, client, accounts):
    client.force_login(accounts[1])  # Fredrik
    url = reverse("member:uppdrag_edit", args=[uppdrag[0].pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "klar", "note": "", "as_of": ""}).status_code == 404
    assert client.get(LIST + "999999/").status_code == 404
    assert FollowUp.objects.count() == 0


def test_an_uppdrag_of_a_protocol_not_justerat_is_not_found(world, annica_client):
    draft = _not_justerat(world.au, world.secretary, world.annica)

    response = annica_client.post(
        reverse("member:uppdrag_edit", args=[draft.pk]),
        {"status": "pagar", "note": "", "as_of": ""},
    )

    assert response.status_code == 404
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize(
    "sent, message",
    [
        ({"status": "pagar", "as_of": "2099-01-01"}, "Datumet kan inte ligga i framtiden."),
        ({"status": "halvklar", "as_of": ""}, "Välj ett giltigt alternativ."),
        ({"status": "pagar", "as_of": "i morgon"}, "Fyll i ett giltigt datum."),
    ],
)
def test_bad_input_is_refused_in_swedish_and_what_was_typed_kept(
    uppdrag, annica_client, sent, message
):
    response = annica_client.post(
        reverse("member:uppdrag_edit", args=[uppdrag[0].pk]),
        {**sent, "note": "Påbörjat med ekonomen"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Påbörjat med ekonomen</textarea>" in html
    if sent["as_of"]:
        assert f'value="{sent["as_of"]}"' in html
    assert FollowUp.objects.count() == 0


def test_the_page_works_without_script(uppdrag, annica_client):
    html = annica_client.get(LIST).content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"\son[a-z]+=", html) == []
    assert html.count('<form method="post" action="/ledamot/uppdrag/') == 2
    assert 'type="submit"' in html


def test_the_same_day_as_today_is_fine_and_an_empty_date_is_today(uppdrag, annica_client):
    url = reverse("member:uppdrag_edit", args=[uppdrag[2].pk])

    response = annica_client.post(url, {"status": "aterrapporterad", "note": "", "as_of": ""})

    assert response.status_code == 302
    saved = FollowUp.objects.get(uppdrag=uppdrag[2])
    assert (saved.status, saved.status_date) == ("aterrapporterad", timezone.localdate())


def test_the_start_page_tells_the_assignee_what_of_theirs_is_late_or_due_soon(
    uppdrag, annica_client, monkeypatch
):
    """Issue 35, from a walk: Att göra names the assignee's own late uppdrag."""
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2021, 12, 1))

    html = annica_client.get(reverse("start")).content.decode()

    assert "Dina uppdrag som är försenade eller snart ska vara klara" in html
    section = html[html.index('id="my-uppdrag"') :]
    section = section[: section.index("</section>")]
    assert "Ta fram en budget för 2022" in section  # late since 2021-11-15
    assert "försenat" in section
    assert "Rapportera om samverkan" not in section  # Fredrik's
    assert "Utvärdera tjänsteköpet" not in section  # no due date
    assert reverse("member:uppdrag_edit", args=[uppdrag[0].pk]) in section
