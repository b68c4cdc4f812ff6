"""Issue 33: signing in through an organisation's OpenID provider, and justering
with a fresh e-legitimation, against a real OpenID provider on loopback
(tests/identity.py: oidc-provider with the Swedish eID framework's claims)."""

import datetime
import io
import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from pypdf import PdfReader

from meetings.actions import justering
from meetings.models import Approval, ArchivedProtocol
from members import identity
from members.models import IdentityProvider
from tests.identity import LOA2, LOA3, PNR_CLAIM, authenticate, openid_provider  # noqa: F401

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def _on_to_the_provider(browser, answer) -> str:
    """Where a form's answer sends the browser: through our own page (the CSP's
    form-action 'self' stops a form's redirect to another site), on to the provider."""
    assert answer.status_code == 302 and answer["Location"] == "/logga-in/vidare/"
    page = browser.get(answer["Location"])
    assert page.status_code == 200 and "Fortsätt" in page.content.decode()
    return page["Refresh"].split("url=", 1)[1]


@pytest.fixture
def provider_of(openid_provider, settings, organisation):  # noqa: F811
    """An identity provider of the organisation, registered with the real one."""

    def make(purpose, **fields) -> IdentityProvider:
        client_id, secret = openid_provider.register(settings.SITE_URL + "/logga-in/svar/")
        return IdentityProvider.objects.create(
            organisation=organisation,
            purpose=purpose,
            name=fields.pop("name", "Test-e-legitimation"),
            issuer=openid_provider.issuer,
            client_id=client_id,
            client_secret=secret,
            scopes="openid profile https://id.oidc.se/scope/naturalPersonNumber",
            match_by=IdentityProvider.MatchBy.PERSONNUMMER,
            **fields,
        )

    return make


def test_a_personal_identity_number_is_kept_only_as_a_keyed_hash(fredrik):
    today = datetime.date(2026, 12, 7)
    assert identity.normalised_personnummer("19800101-1234") == "198001011234"
    assert identity.normalised_personnummer("800101-1234", today=today) == "198001011234"
    assert identity.normalised_personnummer("050101-1234", today=today) == "200501011234"
    assert identity.normalised_personnummer("050101+1234", today=today) == "190501011234"
    assert identity.normalised_personnummer("19801301-1234") is None  # no 13th month
    assert identity.normalised_personnummer("Anna") is None
    hashed = identity.personnummer_hash("800101-1234")
    assert hashed == identity.personnummer_hash("198001011234")
    assert len(hashed) == 64 and "1980" not in hashed
    with pytest.raises(ValueError):
        identity.personnummer_hash("12345")


def test_staff_sign_in_with_the_organisations_provider(client, provider_of, secretary, asa):
    provider = provider_of(IdentityProvider.Purpose.SIGN_IN, name="Norrälvs konto", acr=LOA3)
    asa.personnummer_hash = identity.personnummer_hash("198001011234")
    asa.save()

    login_page = client.get("/logga-in/").content.decode()
    assert "Norrälvs konto" in login_page
    away = client.get(f"/logga-in/med/{provider.pk}/?next=/arbete/")
    assert away.status_code == 302 and away["Location"].startswith(provider.issuer + "/auth?")
    query = parse_qs(urlsplit(away["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["acr_values"] == [LOA3]
    back = authenticate(away["Location"], login="anna", acr=LOA3, stop_at="http://testserver")

    answer = client.get(_path(back))
    assert answer.status_code == 302 and answer["Location"] == "/arbete/"
    assert int(client.session["_auth_user_id"]) == secretary.pk
    # The provider's loa3 counts as the second factor: the workspace opens.
    assert client.get("/arbete/").status_code == 200

    replayed = client.get(_path(back))
    assert replayed.status_code == 403
    assert "inte en inloggning som den här webbläsaren började" in replayed.content.decode()

    # Logging out ends the session at the provider too (RP-initiated logout).
    there = _on_to_the_provider(client, client.post("/logga-ut/"))
    assert "_auth_user_id" not in client.session
    query = parse_qs(urlsplit(there).query)
    assert there.startswith(provider.issuer + "/session/end?")
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert query["id_token_hint"][0].count(".") == 2
    import requests

    ended = requests.get(there, timeout=10)  # the provider takes the request
    assert ended.status_code == 200 and "error" not in ended.text.lower()


def test_an_unknown_person_gets_a_clear_page_and_no_account(client, provider_of):
    provider = provider_of(IdentityProvider.Purpose.SIGN_IN)
    accounts = User.objects.count()
    away = client.get(f"/logga-in/med/{provider.pk}/")
    back = authenticate(away["Location"], login="okand", stop_at="http://testserver")

    answer = client.get(_path(back))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Vi känner inte igen dig här" in page
    assert "Inget konto skapades" in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == accounts


def test_a_lower_level_of_assurance_than_required_is_refused(client, provider_of, asa, secretary):
    provider = provider_of(IdentityProvider.Purpose.SIGN_IN, acr=LOA3)
    asa.personnummer_hash = identity.personnummer_hash("198001011234")
    asa.save()
    away = client.get(f"/logga-in/med/{provider.pk}/")
    back = authenticate(away["Location"], login="anna", acr=LOA2, stop_at="http://testserver")

    answer = client.get(_path(back))
    assert answer.status_code == 403
    assert "lägre tillitsnivå" in answer.content.decode()
    assert "_auth_user_id" not in client.session


# -- The ID token's checks, each refused (tokens made here, signed by a key the
# provider's "keys" hold, so that only the claim under test is wrong) -------------


@pytest.fixture
def token_checks(monkeypatch, organisation):
    key = RSAKey.generate_key(2048, parameters={"kid": "test"})
    monkeypatch.setattr(identity, "_keys", lambda config: KeySet([key]))
    provider = IdentityProvider(
        organisation=organisation,
        purpose=IdentityProvider.Purpose.E_LEGITIMATION,
        name="Freja eID+",
        issuer="https://idp.example",
        client_id="paragraf",
        client_secret="s",
        acr=LOA3,
        match_by=IdentityProvider.MatchBy.PERSONNUMMER,
    )
    now = int(time.time())
    good = {
        "iss": "https://idp.example",
        "aud": "paragraf",
        "sub": "anna",
        "iat": now,
        "exp": now + 300,
        "nonce": "n-1",
        "acr": LOA3,
        "auth_time": now - 10,
    }

    def check(**changes):
        claims = {k: v for k, v in {**good, **changes}.items() if v is not None}
        token = jwt.encode({"alg": "RS256", "kid": "test"}, claims, key)
        started = {"nonce": "n-1", "step_up": {"justering": 1}}
        return identity._verified_claims(provider, {"issuer": good["iss"]}, token, started)

    return check


def test_a_good_token_passes(token_checks):
    assert token_checks()["acr"] == LOA3


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"iss": "https://other.example"}, "höll inte"),
        ({"aud": "another-service"}, "höll inte"),
        ({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, "höll inte"),
        ({"nonce": "n-2"}, "höll inte"),
        ({"acr": LOA2}, "lägre tillitsnivå"),
        ({"auth_time": int(time.time()) - 3600}, "inte gjord nyss"),
        ({"auth_time": None}, "inte gjord nyss"),
    ],
)
def test_a_token_that_does_not_hold_is_refused(token_checks, changes, said):
    with pytest.raises(identity.SignInRefused) as refused:
        token_checks(**changes)
    assert said in str(refused.value)


# -- Justering with a fresh e-legitimation -------------------------------------


@pytest.fixture
def under_justering(drafted, annica, secretary, provider_of):
    provider = provider_of(
        IdentityProvider.Purpose.E_LEGITIMATION, acr=LOA3, required_for_justering=True
    )
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    chair, other = justering.approvers(drafted)
    for person, number in ((chair, "198001011234"), (other, "197505059876")):
        person.refresh_from_db()
        person.personnummer_hash = identity.personnummer_hash(number)
        person.save()
    return drafted, chair, other, provider


def _browser(person) -> Client:
    own = Client()
    own.force_login(person.user)
    return own


def _sign(browser, meeting, *, login, acr=LOA3):
    version = justering.content_hash(meeting)
    away = _on_to_the_provider(
        browser,
        browser.post(reverse("justering:approve", args=[meeting.pk]), {"version": version}),
    )
    assert "prompt=login" in away and "max_age=0" in away
    back = authenticate(away, login=login, acr=acr, stop_at="http://testserver")
    returned = browser.get(_path(back))
    if returned.status_code != 302:
        return returned
    return browser.get(returned["Location"])


def test_justering_with_e_legitimation_records_its_proof_and_the_seal_says_so(under_justering):
    meeting, chair, other, provider = under_justering
    first = _sign(_browser(chair), meeting, login="anna")
    assert first.status_code == 302
    approval = Approval.objects.get(meeting=meeting, person=chair)
    evidence = approval.evidence
    assert (evidence["provider"], evidence["issuer"]) == ("Test-e-legitimation", provider.issuer)
    assert (evidence["acr"], evidence["level"]) == (LOA3, 3)
    assert evidence["id_token"].count(".") == 2  # the signed ID token itself

    page = _browser(other).get(reverse("justering:protocol", args=[meeting.pk]))
    assert "med Test-e-legitimation, tillitsnivå 3" in page.content.decode()  # the chair's
    _sign(_browser(other), meeting, login="bo")
    meeting.refresh_from_db()
    assert meeting.is_frozen
    archive = ArchivedProtocol.objects.get(meeting=meeting)
    reader = PdfReader(io.BytesIO(archive.pdf.read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Justerat elektroniskt med Test-e-legitimation, tillitsnivå 3," in " ".join(text.split())
    proof = json.loads(reader.attachments["justering.json"][0])
    assert [row["method"] for row in proof] == ["e-legitimation", "e-legitimation"]
    assert all(len(row["id_token_sha256"]) == 64 for row in proof)
    assert "198001011234" not in json.dumps(proof)  # the number stays in the token


def test_a_lower_level_or_someone_elses_e_legitimation_records_nothing(under_justering):
    meeting, chair, _other, _provider = under_justering
    lower = _sign(_browser(chair), meeting, login="anna", acr=LOA2)
    assert lower.status_code == 403 and "lägre tillitsnivå" in lower.content.decode()

    browser = _browser(chair)
    _sign(browser, meeting, login="bo")  # the chair's account, Bo's e-legitimation
    page = browser.get(reverse("justering:protocol", args=[meeting.pk])).content.decode()
    assert "E-legitimationen var inte din" in page
    assert not Approval.objects.filter(meeting=meeting).exists()

    # Nor does the verb take an approval without one, whatever path calls it.
    with pytest.raises(justering.JusteringError) as refused:
        justering.approve(meeting, chair, version=justering.content_hash(meeting), user=chair.user)
    assert "e-legitimation" in str(refused.value)
    assert not Approval.objects.filter(meeting=meeting).exists()


def test_a_rattelse_is_approved_with_e_legitimation_too(justerat, annica, provider_of):
    from meetings.actions import rattelse
    from meetings.models import Rattelse

    provider_of(IdentityProvider.Purpose.E_LEGITIMATION, acr=LOA3, required_for_justering=True)
    chair, other = justering.approvers(justerat)
    for person, number in ((chair, "198001011234"), (other, "197505059876")):
        person.refresh_from_db()
        person.personnummer_hash = identity.personnummer_hash(number)
        person.save()
    correction = Rattelse.objects.create(
        meeting=justerat, paragraph=justerat.paragraphs.first(), text="Rätt belopp: 45 000 kr."
    )
    with pytest.raises(justering.JusteringError):
        rattelse.approve(correction, chair, user=chair.user)  # not without it

    browser = _browser(chair)
    page = browser.get(reverse("justering:protocol", args=[justerat.pk])).content.decode()
    assert "Godkänn rättelsen med Test-e-legitimation" in page
    away = _on_to_the_provider(
        browser,
        browser.post(reverse("justering:approve_rattelse", args=[justerat.pk, correction.pk])),
    )
    back = authenticate(away, login="anna", acr=LOA3, stop_at="http://testserver")
    returned = browser.get(_path(back))
    browser.get(returned["Location"])
    approval = Approval.objects.get(rattelse=correction, person=chair)
    assert approval.evidence["acr"] == LOA3 and approval.evidence["provider"] == (
        "Test-e-legitimation"
    )


def test_the_admin_keeps_a_personal_identity_number_only_as_its_hash(admin_client, annica):
    url = reverse("admin:members_person_change", args=[annica.pk])
    form = {
        "organisation": annica.organisation_id,
        "name": annica.name,
        "title": "",
        "email": "",
        "phone": "",
        "user": "",
        "personnummer": "19800101-1234",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    wrong = admin_client.post(url, {**form, "personnummer": "19801301-1234"})
    assert "Det är inget personnummer (ÅÅÅÅMMDD-NNNN)." in wrong.content.decode()
    assert admin_client.post(url, form).status_code == 302
    annica.refresh_from_db()
    assert annica.personnummer_hash == identity.personnummer_hash("198001011234")
    page = admin_client.get(url).content.decode()
    assert "1234" not in page and annica.personnummer_hash not in page
    # Left empty, the number kept stays; "-" removes it.
    admin_client.post(url, {**form, "personnummer": ""})
    annica.refresh_from_db()
    assert annica.personnummer_hash
    admin_client.post(url, {**form, "personnummer": "-"})
    annica.refresh_from_db()
    assert annica.personnummer_hash == ""


def test_the_administrator_sees_and_tests_the_providers(provider_of, secretary, annica):
    from tests.conftest import log_in_with_two_factor

    provider = provider_of(
        IdentityProvider.Purpose.E_LEGITIMATION, acr=LOA3, required_for_justering=True
    )
    annica.personnummer_hash = identity.personnummer_hash("198001011234")
    annica.save()
    administrator = User.objects.create_user("admin-norr", password="x")
    from members.models import StaffRole

    StaffRole.objects.create(
        user=administrator, organisation=provider.organisation, role="administrator"
    )
    browser = log_in_with_two_factor(Client(), administrator)
    org = provider.organisation.slug
    page = browser.get(reverse("organisation:identity", args=[org])).content.decode()
    assert "Test-e-legitimation" in page and provider.issuer in page
    assert "varje godkännande legitimeras med den" in page

    away = _on_to_the_provider(
        browser, browser.post(reverse("organisation:identity_test", args=[org, provider.pk]))
    )
    assert "prompt=login" in away  # as a justering asks for it
    back = authenticate(away, login="anna", acr=LOA3, stop_at="http://testserver")
    tested = browser.get(_path(back))
    assert tested.status_code == 200
    text = " ".join(tested.content.decode().split())
    assert "Test-e-legitimation: inloggningen fungerar" in text
    assert f"{LOA3} (som krävs)" in text
    assert "Annica" in text  # recognised as the organisation's person
    assert "198001011234" not in text  # the claim's name only, never its value
    assert PNR_CLAIM in text
    assert browser.session["_auth_user_id"] == str(administrator.pk)  # nobody else signed in


def test_staff_are_recognised_by_a_verified_e_mail_at_an_entra_like_provider(
    client, provider_of, secretary, asa
):
    provider = provider_of(IdentityProvider.Purpose.SIGN_IN, name="Norrälvs konto")
    provider.match_by, provider.claim = IdentityProvider.MatchBy.EMAIL, "email"
    provider.scopes = "openid profile email"
    provider.save()
    asa.email = "Anna@Norralv.example"  # as the organisation wrote it
    asa.save()
    away = client.get(f"/logga-in/med/{provider.pk}/")
    back = authenticate(away["Location"], login="anna", stop_at="http://testserver")
    answer = client.get(_path(back))
    assert answer.status_code == 302
    assert int(client.session["_auth_user_id"]) == secretary.pk
    # A loa2 password sign-in without "mfa": staff still give the app's code.
    assert client.get("/arbete/")["Location"].startswith("/konto/tvastegsinloggning/")
