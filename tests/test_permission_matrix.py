"""The permission matrix: every URL the project defines, collected from the URL
resolver, for each of eight kinds of visitor. A new URL without an expectation
here fails `test_every_url_has_an_expectation`.

Expected: anonymous visitors are sent to log in wherever anything is private (a
form they post is answered with the login form, 403); a
secretary who has given her password but not yet the second factor is sent to the
two-factor step there; a secretary of another organisation finds nothing of ours
(404); within the organisation a missing right is 403; everything else answers (200
for a page, 302 after a form is posted). The Django admin is for the installation's
own operators: none of these eight gets past its login.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from meetings.actions import justering, services
from meetings.documents import sealing
from meetings.documents.protocol_json import dumps, export_protocol
from meetings.documents.public_version import public_agenda, redact
from meetings.legacy import importing
from meetings.models import (
    ArchivedProtocol,
    Bilaga,
    Decision,
    Justerare,
    Kallelse,
    LegacyUpload,
    Matter,
    Meeting,
    PublicProtocol,
    Rattelse,
    Uppdrag,
)
from members.models import IdentityProvider, Membership, Party, StaffRole
from minutes_site.outbox import sending
from tests import example, factories
from tests.conftest import log_in_with_two_factor, shared_rows

KINDS = ["anonymous", "other_secretary", "member", "other_justerare", "justerare",
         "secretary", "administrator", "unverified_secretary"]  # fmt: skip
LOGIN, OK, STEP = "login", "ok", "two-factor step"


def expect(
    anonymous=LOGIN,
    other_secretary=404,
    member=403,
    other_justerare=403,
    justerare=403,
    secretary=OK,
    administrator=OK,
    unverified_secretary=None,
) -> dict:
    # The secretary before the second factor: nothing private, the public as anyone.
    if unverified_secretary is None:
        unverified_secretary = STEP if anonymous == LOGIN else secretary
    return dict(
        zip(
            KINDS,
            [
                anonymous,
                other_secretary,
                member,
                other_justerare,
                justerare,
                secretary,
                administrator,
                unverified_secretary,
            ],
            strict=True,
        )
    )


EVERYONE = expect(*[OK] * 7)
WORKSPACE = expect()
# The workspace, where the meeting's state refuses even its secretary (with the reason).
WORKSPACE_NOT_NOW = expect(secretary=403, administrator=403)
OWN_WORKSPACE = expect(other_secretary=OK)  # the visitor's own organisation's meetings
JUSTERING = expect(justerare=OK, secretary=403, administrator=403)
MEMBER_LIST = expect(other_secretary=OK, member=OK, other_justerare=OK, justerare=OK)
MEMBER_READ = expect(member=OK, justerare=OK)
ADMINISTRATION = expect(secretary=403)
TWO_FACTOR = expect(other_secretary=OK, member=302, other_justerare=302, justerare=302,
                    unverified_secretary=OK)  # fmt: skip

# URL name → (method, which objects, expectations). "draft": the protocol under
# justering; "published": a published protocol with a bilaga and rättelser.
MATRIX = {
    "home": ("get", "published", EVERYONE),
    "start": ("get", "published", MEMBER_LIST),
    "verify": ("get", "published", EVERYONE),
    "search": ("get", "published", EVERYONE),
    "sitemap": ("get", "published", EVERYONE),
    "sitemap_section": ("get", "published", EVERYONE),
    "accessibility": ("get", "published", EVERYONE),
    "public:accessibility": ("get", "published", EVERYONE),
    "public:matter": ("get", "matter", EVERYONE),
    "public:matters": ("get", "published", EVERYONE),
    "seal_certificate": ("get", "published", EVERYONE),
    # The installation here has no time-stamping authority: nothing to publish, to anyone.
    "tsa_certificate": ("get", "published", expect(*[404] * 7)),
    "robots": ("get", "published", EVERYONE),
    # For the load balancer and monitoring: the same to everyone; the metrics only
    # with the installation's token, which none of these has (tests/test_health.py).
    "health": ("get", "published", EVERYONE),
    "node_health": ("get", "published", EVERYONE),
    "metrics": ("get", "published", expect(*[404] * 7)),
    # The language switch: a redirect back, for everyone.
    "language": ("get", "language", expect(*[302] * 7)),
    "login": ("get", "published", EVERYONE),
    "logout": ("post", "published", EVERYONE),
    "two_factor": ("get", "published", TWO_FACTOR),
    "password_reset": ("get", "published", EVERYONE),
    "password_reset_done": ("get", "published", EVERYONE),
    "password_reset_confirm": ("get", "published", EVERYONE),
    "password_reset_complete": ("get", "published", EVERYONE),
    "workspace:dashboard": ("get", "draft", OWN_WORKSPACE),
    "workspace:follow_ups": ("get", "draft", OWN_WORKSPACE),
    "workspace:follow_up_edit": ("get", "published", WORKSPACE),
    "workspace:legacy_uploads": ("get", "draft", OWN_WORKSPACE),
    "workspace:legacy_review": ("get", "draft", WORKSPACE),
    "workspace:legacy_discard": ("post", "draft", WORKSPACE),
    "workspace:meeting_create": ("get", "draft", OWN_WORKSPACE),
    "workspace:meeting": ("get", "draft", WORKSPACE),
    "workspace:meeting_edit": ("get", "draft", WORKSPACE),
    "workspace:item_add": ("get", "draft", WORKSPACE),
    "workspace:paragraph": ("get", "draft", WORKSPACE),
    "workspace:item_move": ("get", "draft", WORKSPACE),
    "workspace:paragraph_history": ("get", "draft", WORKSPACE),
    "workspace:item_remove": ("get", "draft", WORKSPACE),
    "workspace:proposal_take_up": ("post", "styrelse", WORKSPACE),
    "workspace:protocol_start": ("post", "draft", WORKSPACE),
    "workspace:attendance": ("get", "draft", WORKSPACE),
    "workspace:bilagor": ("get", "draft", WORKSPACE),
    "workspace:bilaga_download": ("get", "draft", WORKSPACE),
    "workspace:handlingar": ("get", "draft", WORKSPACE),
    "workspace:handling_download": ("get", "draft", WORKSPACE),
    "workspace:handling_remove": ("get", "draft", WORKSPACE),
    "workspace:handling_to_bilaga": ("post", "draft", WORKSPACE),
    "workspace:draft_pdf": ("get", "draft", WORKSPACE),
    "workspace:kallelse_pdf": ("get", "draft", WORKSPACE),
    "workspace:kallelse_send": ("get", "draft", WORKSPACE),
    "workspace:kallelse_invite": ("post", "draft", WORKSPACE),
    "workspace:mail_retry": ("post", "draft", WORKSPACE),
    "workspace:kallelse_retry": ("post", "called", WORKSPACE),
    "workspace:justering_send": ("get", "draft", WORKSPACE),
    "workspace:archive_pdf": ("get", "published", WORKSPACE),
    "workspace:bilaga_edit": ("get", "draft", WORKSPACE),
    "workspace:bilaga_move": ("post", "draft", WORKSPACE),
    "workspace:bilaga_remove": ("get", "draft", WORKSPACE),
    "workspace:meeting_cancel": ("get", "draft", WORKSPACE_NOT_NOW),  # held: not cancelled
    "workspace:public_version_pdf": ("get", "published", WORKSPACE),
    "workspace:utdrag_pdf": ("get", "published", WORKSPACE),
    "workspace:rattelse_create": ("post", "published", WORKSPACE),
    "workspace:rattelse_pdf": ("get", "published", WORKSPACE),
    "workspace:publish": ("post", "published", WORKSPACE),
    "justering:protocol": ("get", "draft", JUSTERING),
    "justering:protocol_pdf": ("get", "draft", JUSTERING),
    "justering:bilaga": ("get", "draft", JUSTERING),
    "justering:approve": ("post", "draft", JUSTERING),
    "justering:request_change": ("post", "draft", JUSTERING),
    "justering:comment": ("post", "draft", JUSTERING),
    "justering:approve_rattelse": ("post", "published", JUSTERING),
    "justering:object_to_rattelse": ("post", "published", JUSTERING),
    "justering:approve_rattelse_signed": (
        "get",
        "published",
        expect(justerare=302, secretary=403, administrator=403),
    ),
    "organisation:bodies": ("get", "people", ADMINISTRATION),
    "organisation:identity": ("get", "identity", ADMINISTRATION),
    # The test of a provider that cannot be reached: back to the page, with the reason.
    "organisation:identity_test": ("post", "identity", ADMINISTRATION),
    # Off to the organisation's provider; one that cannot be reached: back to the login.
    # One's own passkeys and recovery codes: everyone logged in, for themselves only.
    "keys": ("get", "published", MEMBER_LIST),
    "key_remove": ("post", "identity", expect(*[LOGIN] + [404] * 6, unverified_secretary=STEP)),
    # Recovery codes stand in for the second factor: staff's only.
    "recovery_codes": (
        "post",
        "published",
        expect(
            other_secretary=200,
            member=404,
            other_justerare=404,
            justerare=404,
            secretary=200,
            administrator=200,
        ),
    ),
    # django-otp-webauthn's ceremonies (JSON, each checks its own caller).
    "otp_webauthn:js-i18n-catalog": (
        "get",
        "published",
        expect(*[200] * 7, unverified_secretary=200),
    ),
    # A passkey added by the logged in only, staff after the second factor.
    "otp_webauthn:credential-registration-begin": (
        "post",
        "published",
        expect(*[403] + [200] * 6, unverified_secretary=403),
    ),
    "otp_webauthn:credential-registration-complete": (
        "post",
        "published",
        expect(*[403] + [400] * 6, unverified_secretary=403),
    ),
    # Signing in with one: anyone may begin; nothing completes without a key.
    "otp_webauthn:credential-authentication-begin": (
        "post",
        "published",
        expect(*[200] * 7, unverified_secretary=200),
    ),
    "otp_webauthn:credential-authentication-complete": (
        "post",
        "published",
        expect(*[400] * 7, unverified_secretary=400),
    ),
    "identity_sign_in": ("get", "identity", expect(*[302] * 7, unverified_secretary=302)),
    # An answer this browser did not ask for: refused, for everyone.
    "identity_callback": ("get", "identity", expect(*[403] * 7, unverified_secretary=403)),
    # On to a provider: with nowhere to go (nothing begun), home.
    "identity_go": ("get", "identity", expect(*[302] * 7, unverified_secretary=302)),
    # Back from an e-legitimation that did not come: to the protocol, with the reason.
    "justering:approve_signed": (
        "get",
        "draft",
        expect(justerare=302, secretary=403, administrator=403),
    ),
    "organisation:memberships": ("get", "people", ADMINISTRATION),
    "organisation:membership_edit": ("get", "seat", ADMINISTRATION),
    "organisation:new_term": ("post", "people", ADMINISTRATION),
    "organisation:people": ("get", "people", ADMINISTRATION),
    "organisation:person_invite": ("post", "people", ADMINISTRATION),
    "organisation:staff_roles": ("get", "roles", ADMINISTRATION),
    "organisation:staff_role_remove": ("post", "roles", ADMINISTRATION),
    "member:meetings": ("get", "draft", MEMBER_LIST),
    "member:meeting": ("get", "draft", MEMBER_READ),
    "member:protocol_pdf": ("get", "draft", MEMBER_READ),
    "member:kallelse_pdf": ("get", "draft", MEMBER_READ),
    "member:bilaga": ("get", "draft", MEMBER_READ),
    "member:handling": ("get", "draft", MEMBER_READ),
    # One's own uppdrag: the list for everyone logged in (each sees their own); one
    # uppdrag for its assignee alone (the justerare here), to anyone else nothing.
    "member:uppdrag": ("get", "published", MEMBER_LIST),
    "member:uppdrag_edit": (
        "get",
        "published",
        expect(member=404, other_justerare=404, justerare=OK, secretary=404, administrator=404),
    ),
    "public:organisation": ("get", "published", EVERYONE),
    "public:feed": ("get", "published", EVERYONE),
    "public:body_feed": ("get", "published", EVERYONE),
    "public:calendar": ("get", "published", EVERYONE),
    "public:anslagstavla": ("get", "published", EVERYONE),
    "public:body": ("get", "published", EVERYONE),
    "public:year": ("get", "published", EVERYONE),
    "public:protocol": ("get", "published", EVERYONE),
    "public:protocol_pdf": ("get", "published", EVERYONE),
    "public:paragraph": ("get", "published", EVERYONE),
    "public:bilaga": ("get", "published", EVERYONE),
    "public:extract": ("get", "published", EVERYONE),
    # The sealed public version of an approved correction; a pending one is nowhere.
    "public:rattelse_pdf": ("get", "published", EVERYONE),
    "public:handling": ("get", "called", EVERYONE),
    # Open data (meetings/oparl): the public archive for anyone, as JSON.
    "oparl:system": ("get", "oparl", EVERYONE),
    "oparl:bodies": ("get", "oparl", EVERYONE),
    "oparl:body": ("get", "oparl", EVERYONE),
    "oparl:body_organizations": ("get", "oparl", EVERYONE),
    "oparl:body_people": ("get", "oparl", EVERYONE),
    "oparl:body_meetings": ("get", "oparl", EVERYONE),
    "oparl:body_papers": ("get", "oparl", EVERYONE),
    "oparl:body_agenda_items": ("get", "oparl", EVERYONE),
    "oparl:body_files": ("get", "oparl", EVERYONE),
    "oparl:body_consultations": ("get", "oparl", EVERYONE),
    "oparl:body_memberships": ("get", "oparl", EVERYONE),
    "oparl:body_locations": ("get", "oparl", EVERYONE),
    "oparl:body_legislative_terms": ("get", "oparl", EVERYONE),
    "oparl:legislative_term": ("get", "oparl", EVERYONE),
    "oparl:organization": ("get", "oparl_organ", EVERYONE),
    "oparl:organization_meetings": ("get", "oparl_organ", EVERYONE),
    "oparl:party": ("get", "oparl_party", EVERYONE),
    "oparl:person": ("get", "oparl_person", EVERYONE),
    "oparl:membership": ("get", "oparl_seat", EVERYONE),
    "oparl:meeting": ("get", "oparl_meeting", EVERYONE),
    "oparl:agenda_item": ("get", "oparl_item", EVERYONE),
    "oparl:paper": ("get", "matter", EVERYONE),
    "oparl:consultation": ("get", "oparl_consultation", EVERYONE),
    "oparl:not_found": ("get", "oparl", expect(*[404] * 7)),
    "oparl:location": ("get", "oparl_meeting", EVERYONE),
    "oparl:file_protocol": ("get", "oparl_meeting", EVERYONE),
    "oparl:file_bilaga": ("get", "oparl_meeting", EVERYONE),
    "oparl:file_handling": ("get", "oparl_handling", EVERYONE),
}


def all_url_patterns(resolver=None, namespace="", outer=()):
    """(name with namespace, pattern) of every URL the project routes; each pattern
    knows the parameters of the includes around it (`outer_groups`)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from all_url_patterns(entry, inner, (*outer, *entry.pattern.regex.groupindex))
        elif isinstance(entry, URLPattern):
            entry.outer_groups = outer
            # Unnamed ones (the admin's redirects) keep their namespace, to be told apart.
            yield f"{namespace}{entry.name or '?'}", entry


def test_every_private_view_says_so_itself():
    """Not a URL prefix but each view carries the rule (members.two_factor.private),
    so that a new private URL anywhere asks for login and the second factor."""
    for name, (_method, _objects, expected) in MATRIX.items():
        if expected["anonymous"] == LOGIN and name not in ("two_factor",):
            assert getattr(PATTERNS[name].callback, "is_private", False), name


def test_every_url_has_an_expectation():
    names = [name for name, _ in all_url_patterns()]

    unnamed = [n for n in names if n.endswith("?") and not n.startswith("admin:")]
    assert not unnamed, "every URL needs a name, so that the matrix can name it"
    project = {n for n in names if not n.startswith("admin:")}
    assert project == set(MATRIX), (
        f"without expectation: {sorted(project - set(MATRIX))}; "
        f"stale: {sorted(set(MATRIX) - project)}"
    )


# --- The world: one organisation with a draft under justering and a published
# protocol, the seven visitors, and another organisation. -----------------------


def _account(person, username):
    person.user = User.objects.create_user(username, password="hemligt-lösenord-1")
    person.save()
    return person.user


def _published(au, secretary, annica):
    """A published protocol, made without rendering (the matrix is about access)."""
    meeting = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 10, 25), start_time=datetime.time(9)
    )
    item = services.add_item(meeting, section="beslut", title="Delårsrapport")
    item.diarienummer = "SF 2021/9"  # a matter, public with the protocol
    item.save()
    services.start_protocol(meeting)
    item.refresh_from_db()
    decided = Decision.objects.create(paragraph=item, kind="beslut", text="Beslutas att godkänna.")
    Uppdrag.objects.create(decision=decided, description="Återrapportera i mars", assignee=annica)
    bilaga = Bilaga(meeting=meeting, paragraph=item, number=1, title="Rapport", filename="r.pdf")
    bilaga.file.save("r.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    bilaga.save()
    Justerare.objects.create(meeting=meeting, person=annica)
    Meeting.objects.filter(pk=meeting.pk).update(
        status="publicerat",
        justerat_at=timezone.now(),
        publish_on=timezone.localdate(),
        place="Förbundets kontor",
    )
    meeting.refresh_from_db()
    archive = ArchivedProtocol(
        meeting=meeting, sha256="0" * 64, content_hash="x", content=dumps(export_protocol(meeting))
    )
    archive.pdf.save("p.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    archive.save()
    public = PublicProtocol(
        meeting=meeting,
        original=archive,
        sha256="1" * 64,
        content=dumps(redact(json.loads(archive.content))),
    )
    public.pdf.save("o.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    public.save()
    sealed = Rattelse(
        meeting=meeting, paragraph=item, text="Rätt summa.", approved_at=timezone.now()
    )
    sealed.pdf.save("r.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    sealed.public_pdf.save("r-offentlig.pdf", ContentFile(b"%PDF-1.7\n"), save=False)
    sealed.public_sha256 = "2" * 64
    sealed.save()
    pending = Rattelse.objects.create(meeting=meeting, paragraph=item, text="Rätt datum.")
    return meeting, item, sealed, pending


def _called(au, secretary) -> dict:
    """A coming meeting whose kallelse is out, with a public handling."""
    meeting = services.plan_meeting(
        au, by=secretary, date=datetime.date(2021, 11, 15), start_time=datetime.time(9)
    )
    handling = services.attach_handling(
        meeting.paragraphs.first(),
        title="Dagordning",
        file=ContentFile(b"%PDF-1.4\n", name="d.pdf"),
        filename="d.pdf",
        is_public=True,
    )
    Kallelse.objects.create(
        meeting=meeting, sent_at=timezone.now(), public_agenda=public_agenda(meeting)
    )
    Meeting.objects.filter(pk=meeting.pk).update(status="kallat")
    return {
        "org": "norrbotten",
        "body": "arbetsutskott",
        "day": "2021-11-15",
        "handling_id": handling.pk,
        "pk": meeting.pk,
    }


def _build_world():
    """Every kind of object each view takes, and an account of each kind of visitor:
    built once for the module's ≈900 cases (each runs in its own savepoint)."""
    w = example.world()
    drafted, au, styrelse, seats, secretary = w.drafted, w.au, w.styrelse, w.seats, w.secretary
    fredrik, annica, organisation = w.fredrik, w.annica, w.organisation
    other_organisation = w.other_organisation
    _account(fredrik, "fredrik")
    _account(annica, "annica")
    member = _account(seats["deputy"], "lisa")
    gunnar = factories.person(organisation, "Gunnar Berg")
    Membership.objects.create(
        person=gunnar, body=styrelse, role="ledamot", start=datetime.date(2019, 1, 1)
    )
    _account(gunnar, "gunnar")
    other_meeting = factories.meeting(styrelse, datetime.date(2021, 10, 4))
    Justerare.objects.create(meeting=other_meeting, person=gunnar)
    administrator = User.objects.create_user("admin-norr", password="hemligt-lösenord-1")
    StaffRole.objects.create(user=administrator, organisation=organisation, role="administrator")
    charlie = User.objects.create_user("charlie", password="hemligt-lösenord-1")
    StaffRole.objects.create(user=charlie, organisation=other_organisation, role="sekreterare")

    sealing.create_development_certificate()
    bilaga = drafted.bilagor.get()
    bilaga.file.save("avtal.pdf", ContentFile(b"%PDF-1.4\n"))
    draft_handling = services.attach_handling(
        drafted.paragraphs.first(),
        title="Underlag",
        file=ContentFile(b"%PDF-1.4\n", name="u.pdf"),
        filename="u.pdf",
        is_public=False,
    )
    draft = Meeting.objects.get(pk=drafted.pk)
    justering.send_for_justering(
        draft, justerare=[annica], deadline=draft.date, by=secretary, notify=False
    )
    published, item, sealed, pending = _published(au, secretary, annica)
    draft_item = draft.paragraphs.get(title="Tjänsteköp Samordnare")
    users = {
        "other_secretary": charlie,
        "member": member,
        "other_justerare": gunnar.user,
        "justerare": annica.user,
        "secretary": secretary,
        "administrator": administrator,
    }
    day = published.date.isoformat()
    values = {
        "draft": {
            "pk": draft.pk,
            "item": draft_item.pk,
            "handling_id": draft_handling.pk,
            "decision": draft_item.decisions.get().pk,
            "number": 1,
            "rattelse_id": 0,
        },
        "published": {
            "pk": published.pk,
            "item": item.pk,
            "rattelse_id": sealed.pk,
            "org": "norrbotten",
            "body": "arbetsutskott",
            "year": "2021",
            "day": day,
            "number": item.number,
            "uidb64": "MQ",
            "token": "ogiltig",
        },
    }
    values["published"]["uppdrag"] = Uppdrag.objects.get(decision__paragraph=item).pk
    values["matter"] = {"org": "norrbotten", "pk": Matter.objects.get(key="SF2021/9").pk}
    values["published_pending"] = {**values["published"], "rattelse_id": pending.pk}
    # An arbetsutskott's proposal is taken up by the styrelse, on its own meeting.
    values["styrelse"] = {**values["draft"], "pk": other_meeting.pk}
    values["people"] = {"org": "norrbotten", "pk": annica.pk, "body": "arbetsutskott"}
    values["seat"] = {
        **values["people"],
        "pk": Membership.objects.filter(body__slug="arbetsutskott").first().pk,
    }
    values["roles"] = {"org": "norrbotten", "pk": StaffRole.objects.get(user=secretary).pk}
    # An organisation's sign-in whose provider is not there (port 9: nobody answers).
    provider = IdentityProvider.objects.create(
        organisation=organisation,
        purpose=IdentityProvider.Purpose.SIGN_IN,
        name="Norrbottens konto",
        issuer="http://127.0.0.1:9",
        client_id="paragraf",
        client_secret="hemligt",
        match_by=IdentityProvider.MatchBy.EMAIL,
        claim="email",
    )
    values["identity"] = {"org": "norrbotten", "pk": provider.pk}
    values["called"] = _called(au, secretary)
    values["language"] = {"code": "en"}
    values["oparl"] = {"pk": organisation.pk, "year": 2019}
    values["oparl_organ"] = {"pk": au.pk}
    values["oparl_party"] = {"pk": Party.objects.filter(organisation=organisation).first().pk}
    values["oparl_person"] = {"pk": annica.pk}
    values["oparl_seat"] = {"pk": Membership.objects.first().pk}
    values["oparl_meeting"] = {"pk": published.pk, "meeting": published.pk, "number": 1}
    values["oparl_item"] = {"pk": item.pk}
    values["oparl_consultation"] = {"pk": item.matter_link.pk}
    values["oparl_handling"] = {"pk": values["called"]["handling_id"]}
    legacy = Path(__file__).parent / "meetings" / "data" / "legacy" / "au-2020-03-09.txt"
    read = importing.prepare(legacy.name, legacy.read_bytes(), organisation=organisation)
    upload = LegacyUpload.objects.create(
        organisation=organisation,
        filename=legacy.name,
        sha256=read.source.sha256,
        source_text=read.source.text,
        document=read.parsed.document,
    )
    values["draft"]["upload"] = upload.pk
    (notice,) = sending.post(
        [EmailMessage("Kallelse", "Text", to=["annica@example.se"])], about=draft, kind="kallelse"
    )
    values["draft"]["mail"] = notice.pk
    return users, values


_world_built, world = shared_rows("world", _build_world)


def _client(kind, users, client):
    if kind == "anonymous":
        return client
    if kind == "unverified_secretary":  # the password given, the code not yet
        client.force_login(users["secretary"])
        return client
    user = users[kind]
    if StaffRole.objects.filter(user=user).exists():
        return log_in_with_two_factor(client, user)
    client.force_login(user)
    return client


def _url(name, pattern, values):
    names = [*pattern.outer_groups, *pattern.pattern.regex.groupindex]
    kwargs = {k: values[k] for k in names if values.get(k) is not None}
    if name == "public:bilaga":
        kwargs["number"] = 1
    if name == "sitemap_section":
        kwargs["section"] = "paragraphs"
    return reverse(name, kwargs=kwargs)


PATTERNS = dict(all_url_patterns())


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("kind", KINDS)
def test_the_matrix(name, kind, world, client):
    users, values = world
    method, objects, expected = MATRIX[name]
    if name in (
        "justering:approve_rattelse",
        "justering:object_to_rattelse",
        "justering:approve_rattelse_signed",
    ):
        objects = "published_pending"
    url = _url(name, PATTERNS[name], values[objects])
    visitor = _client(kind, users, client)

    response = getattr(visitor, method)(url)
    want = expected[kind]

    if want == LOGIN and method == "post":
        # A form posted without a session: the login form, which carries what was
        # typed (members/two_factor.py); nothing done, nothing kept.
        assert response.status_code == 403, (url, response.status_code)
        assert 'action="/logga-in/"' in response.content.decode(), url
    elif want == LOGIN:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/logga-in/?next="), url
    elif want == STEP:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith("/konto/tvastegsinloggning/?next="), url
    elif want == OK:
        assert response.status_code == (200 if method == "get" else 302), (
            url,
            response.status_code,
        )
        if response.status_code == 302:
            assert not response["Location"].startswith(("/logga-in/", "/konto/")), url
    else:
        assert response.status_code == want, (url, response.status_code)


ADMIN_PATTERNS = [
    (n, p) for n, p in all_url_patterns() if n.startswith("admin:") and not n.endswith("?")
]


@pytest.mark.parametrize("kind", KINDS)
def test_no_visitor_of_the_eight_gets_past_the_admin_login(kind, world, client):
    users, _values = world
    visitor = _client(kind, users, client)
    checked = 0
    for name, pattern in ADMIN_PATTERNS:
        if name in ("admin:login", "admin:logout", "admin:jsi18n"):
            continue
        kwargs = {k: "1" for k in pattern.pattern.regex.groupindex}
        if "app_label" in kwargs:
            kwargs["app_label"] = "meetings"
        response = visitor.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302, (name, response.status_code)
        # Staff without the second factor are asked for it before even the admin's login.
        gates = ("/admin/login/", "/konto/tvastegsinloggning/")
        assert response["Location"].startswith(
            gates if kind == "unverified_secretary" else gates[0]
        ), name
        checked += 1
    assert checked > 100
