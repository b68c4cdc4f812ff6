"""The organisation administrator: adds people, invites them by e-mail, gives and
takes away staff roles."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from members.models import Person, StaffRole
from tests.conftest import log_in_with_two_factor

PEOPLE = "/arbete/organisation/norrbotten/personer/"
ROLES = "/arbete/organisation/norrbotten/roller/"


@pytest.fixture
def administrator_client(organisation):
    user = User.objects.create_user("admin-norr", password="hemligt-lösenord-1")
    StaffRole.objects.create(user=user, organisation=organisation, role="administrator")
    return log_in_with_two_factor(Client(), user)


@pytest.mark.django_db
def test_a_person_is_added_invited_and_chooses_a_password(administrator_client, organisation):
    added = administrator_client.post(
        PEOPLE, {"name": "Karin Ek", "title": "", "email": "karin.ek@example.se"}
    )
    assert added.status_code == 302
    karin = Person.objects.get(organisation=organisation, name="Karin Ek")

    invited = administrator_client.post(f"{PEOPLE}{karin.pk}/bjud-in/")

    assert invited.status_code == 302
    karin.refresh_from_db()
    assert karin.user.username == "karinek"
    assert not karin.user.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["karin.ek@example.se"]
    assert message.subject == "Inbjudan till Paragraf"
    assert "Ditt användarnamn är karinek" in message.body
    link = re.search(r"https?://testserver(/konto/losenord/\S+/)", message.body).group(1)
    browser = Client()
    form = browser.get(link, follow=True)
    assert form.status_code == 200
    assert "sexsiffrig kod från en autentiseringsapp" in message.body  # issue 29, 15
    chosen = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Ett-bra-lösen-2026", "new_password2": "Ett-bra-lösen-2026"},
        follow=True,
    )
    # Logged in at once, on the start page (issue 29, 15), not sent to log in again.
    assert chosen.redirect_chain == [("/start/", 302)]
    assert chosen.context["user"].username == "karinek"
    assert "Ditt lösenord är sparat och du är inloggad." in chosen.content.decode()
    assert (
        Client()
        .post("/logga-in/", {"username": "karinek", "password": "Ett-bra-lösen-2026"})
        .status_code
        == 302
    )


@pytest.mark.django_db
def test_without_an_e_mail_address_there_is_a_clear_message(administrator_client, organisation):
    person = Person.objects.create(organisation=organisation, name="Utan Adress")

    response = administrator_client.post(f"{PEOPLE}{person.pk}/bjud-in/", follow=True)

    assert "Utan Adress har ingen e-postadress." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_roles_are_given_and_taken_away(administrator_client, organisation, asa):
    refused = administrator_client.post(ROLES, {"person": asa.pk, "role": "sekreterare"})
    assert refused.status_code == 400
    assert "har inget konto ännu" in refused.content.decode()

    asa.user = User.objects.create_user("asa")
    asa.save()
    assert (
        administrator_client.post(ROLES, {"person": asa.pk, "role": "sekreterare"}).status_code
        == 302
    )
    role = StaffRole.objects.get(user=asa.user, organisation=organisation)
    assert role.role == "sekreterare"

    listed = administrator_client.get(ROLES).content.decode()
    assert "<li>Åsa Snårbacka: sekreterare" in listed  # by name, not user name
    asked = administrator_client.get(f"{ROLES}{role.pk}/ta-bort/")  # asks first
    assert asked.status_code == 200
    assert "Ta bort rollen sekreterare från Åsa Snårbacka?" in asked.content.decode()
    assert StaffRole.objects.filter(pk=role.pk).exists()
    assert administrator_client.post(f"{ROLES}{role.pk}/ta-bort/").status_code == 302
    assert not StaffRole.objects.filter(user=asa.user).exists()


@pytest.mark.django_db
def test_the_role_list_starts_on_the_lesser_role(administrator_client):
    html = administrator_client.get(ROLES).content.decode()

    assert re.search(r'<option value="sekreterare"[^>]*selected', html)
    assert not re.search(r'<option value="administrator"[^>]*selected', html)


@pytest.mark.django_db
def test_an_administrator_keeps_their_own_role(administrator_client, organisation):
    own = StaffRole.objects.get(user__username="admin-norr")

    response = administrator_client.post(f"{ROLES}{own.pk}/ta-bort/", follow=True)

    assert StaffRole.objects.filter(pk=own.pk).exists()
    assert "Du kan inte ta bort din egen administratörsroll." in response.content.decode()


@pytest.mark.django_db
def test_bodies_are_added_with_a_free_address(administrator_client, organisation, styrelse):
    BODIES = "/arbete/organisation/norrbotten/organ/"
    taken = administrator_client.post(
        BODIES, {"name": "Styrelsen 2", "slug": "styrelse", "kind": "styrelse"}
    )
    assert taken.status_code == 400
    assert "Organisationen har redan ett organ med den adressen." in taken.content.decode()

    added = administrator_client.post(
        BODIES,
        {
            "name": "Beredningsgruppen",
            "slug": "beredning",
            "kind": "beredningsgrupp",
            "prepares_for": styrelse.pk,
        },
    )

    assert added.status_code == 302
    body = organisation.bodies.get(slug="beredning")
    assert (body.kind, body.prepares_for) == ("beredningsgrupp", styrelse)
    assert "Beredningsgruppen" in administrator_client.get(BODIES).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["anslagstavla", "tillganglighet"])
def test_a_body_cannot_take_the_address_of_an_organisation_page(
    administrator_client, organisation, slug
):
    refused = administrator_client.post(
        "/arbete/organisation/norrbotten/organ/",
        {"name": "Anslagstavlan", "slug": slug, "kind": "other"},
    )

    assert refused.status_code == 400
    assert (
        f"{slug} är adressen till en av organisationens egna sidor: välj en annan."
        in refused.content.decode()
    )
    assert not organisation.bodies.filter(slug=slug).exists()


@pytest.mark.django_db
def test_the_admin_refuses_a_reserved_body_address_too(admin_client, organisation):
    refused = admin_client.post(
        "/admin/members/body/add/",
        {
            "organisation": organisation.pk,
            "name": "Anslagstavlan",
            "slug": "anslagstavla",
            "kind": "other",
        },
    )

    assert refused.status_code == 200  # the form again, with its error
    assert "anslagstavla är adressen till en av organisationens egna sidor" in (
        refused.content.decode()
    )
    assert not organisation.bodies.exists()


def test_the_start_page_and_workspace_link_only_the_organisations_one_administers(
    administrator_client, organisation, other_organisation, secretary_client
):
    start = administrator_client.get("/start/").content.decode()
    workspace = administrator_client.get("/arbete/").content.decode()

    assert "Personer och roller i Samordningsförbundet Norrbotten" in start
    assert "Söderhavet" not in start
    assert "/arbete/organisation/norrbotten/" in workspace
    # A secretary of the same förbund administers nothing.
    assert "Personer och roller i" not in secretary_client.get("/start/").content.decode()
