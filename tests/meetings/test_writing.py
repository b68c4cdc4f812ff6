"""Writing the protocol quickly and safely: real changes only in the audit trail,
"Spara och nästa", several decisions on one page, a decision removed, reservations
with their motivations, and nothing typed lost when the session ends."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client
from django.urls import reverse

from meetings.actions import services
from meetings.documents.history import paragraph_history
from meetings.models import Decision, Paragraph
from members.two_factor import UNSENT
from tests.conftest import log_in_with_two_factor
from tests.meetings.test_workspace_protocol import paragraph_post


@pytest.fixture
def drafting(planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    return planned


def edit_url(meeting, item):
    return reverse("workspace:paragraph", args=[meeting.pk, item.pk])


def events(item):
    return [(e["event"], tuple(e["fields"])) for e in paragraph_history(item)]


def stored_post(item, **fields):
    """The editor as it comes back: the stored decisions as initial forms."""
    decisions = [
        {"kind": d.kind, "text": d.text, "proposed_to": d.proposed_to_id or ""}
        for d in item.decisions.all()
    ]
    data = paragraph_post(item, decisions=decisions, **fields)
    data["decisions-INITIAL_FORMS"] = len(decisions)
    return data


def test_saving_an_unchanged_paragraph_records_nothing(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    Decision.objects.create(paragraph=item, kind="beslut", text="Beslutas att köpa.")
    item.refresh_from_db()
    before = (events(item), item.revision)

    response = secretary_client.post(edit_url(drafting, item), stored_post(item))

    assert response.status_code == 302
    item.refresh_from_db()
    assert (events(item), item.revision) == before


def test_a_changed_decision_is_recorded_as_changed_not_replaced(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    first = Decision.objects.create(paragraph=item, kind="beslut", text="Beslutas att köpa.")
    item.refresh_from_db()
    data = stored_post(item)
    data["decisions-0-text"] = "Beslutas att köpa tjänsten."

    secretary_client.post(edit_url(drafting, item), data)

    assert list(item.decisions.values_list("pk", "text")) == [
        (first.pk, "Beslutas att köpa tjänsten.")
    ]
    newest = events(item)[0]
    assert newest[0] == "Ett beslut ändrat"
    assert ("Ett beslut borttaget", ()) not in events(item)


def test_several_decisions_are_added_and_one_removed_on_the_same_page(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    secretary_client.post(
        edit_url(drafting, item),
        paragraph_post(
            item,
            decisions=[
                {"kind": "beslut", "text": "Första beslutet."},
                {"kind": "lagges_till_handlingarna", "text": "Läggs till handlingarna."},
            ],
        ),
    )
    item.refresh_from_db()
    assert list(item.decisions.values_list("text", flat=True)) == [
        "Första beslutet.",
        "Läggs till handlingarna.",
    ]

    data = stored_post(item)
    data["decisions-0-DELETE"] = "on"
    secretary_client.post(edit_url(drafting, item), data)

    assert list(item.decisions.values_list("text", flat=True)) == ["Läggs till handlingarna."]


def test_save_and_next_goes_on_through_the_agenda(secretary_client, drafting):
    first, second = drafting.paragraphs.order_by("position")[:2]
    response = secretary_client.post(
        edit_url(drafting, first), {**paragraph_post(first, text="Öppnat."), "next": ""}
    )

    assert response["Location"] == edit_url(drafting, second)
    last = drafting.paragraphs.order_by("position").last()
    page = secretary_client.get(edit_url(drafting, last)).content.decode()
    assert "Spara och nästa" not in page  # the last item has none after it


def test_the_editor_asks_for_attendance_before_reservations(secretary_client, planned):
    item = planned.paragraphs.first()

    page = secretary_client.get(edit_url(planned, item)).content.decode()

    assert "Registrera närvaron först" in page


def test_the_reservations_are_ticked_among_the_voting_members(
    secretary_client, drafting, fredrik, bengt
):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    page = secretary_client.get(edit_url(drafting, item)).content.decode()

    assert f'name="decisions-0-reserves_{bengt.pk}"' in page
    assert f'name="decisions-0-motivation_{bengt.pk}"' in page
    assert f'value="{fredrik.pk}"' in page  # the jäv checkboxes
    assert "autofocus" in page.split('name="text"', 1)[1].split(">", 1)[0]


def test_a_text_sent_after_the_session_ended_comes_back_after_logging_in(drafting, secretary):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    browser = log_in_with_two_factor(Client(), secretary)
    browser.get(edit_url(drafting, item))
    # The session has ended on the server, as after a long while writing; the
    # browser still sends its cookies.
    browser.session.delete()

    sent = browser.post(
        edit_url(drafting, item), paragraph_post(item, text="En lång text som inte får försvinna.")
    )

    # The login form answers, carrying the text; the server keeps nothing until a login.
    assert sent.status_code == 403
    assert "Du loggades ut" in sent.content.decode()
    assert Paragraph.objects.get(pk=item.pk).text == ""
    assert not Session.objects.exists()
    unsent = re.search(r'name="unsent" value="([^"]+)"', sent.content.decode())[1]
    logged_in = browser.post(
        reverse("login"),
        {
            "username": "asa",
            "password": "hemligt-lösenord-1",
            "next": edit_url(drafting, item),
            "unsent": unsent,
        },
    )
    assert logged_in.status_code == 302 and logged_in["Location"] == edit_url(drafting, item)
    verify_session(browser, secretary)
    again = browser.get(edit_url(drafting, item)).content.decode()
    assert "En lång text som inte får försvinna." in again
    assert "Du loggades ut medan du skrev" in again
    # Once: the next visit shows what is saved.
    assert (
        "En lång text som inte får försvinna."
        not in browser.get(edit_url(drafting, item)).content.decode()
    )


def verify_session(client, user):
    """The second factor given in the client's session (as the two-factor page does)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def test_anonymous_posts_to_a_private_page_make_the_server_keep_nothing(drafting, client):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")

    for _ in range(3):
        sent = client.post(edit_url(drafting, item), {"text": "x" * 200_000})
        assert sent.status_code == 403
        client.cookies.clear()

    assert not Session.objects.exists()
    assert Paragraph.objects.get(pk=item.pk).text == ""


def test_a_forged_or_missing_unsent_text_is_ignored_at_login(drafting, secretary):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    forged = signing.dumps(
        {"path": edit_url(drafting, item), "data": {"text": ["Falsk"]}}, salt="another-salt"
    )
    browser = Client()

    logged_in = browser.post(
        reverse("login"),
        {
            "username": "asa",
            "password": "hemligt-lösenord-1",
            "next": edit_url(drafting, item),
            "unsent": forged,
        },
    )

    assert logged_in.status_code == 302
    assert UNSENT not in browser.session
    verify_session(browser, secretary)
    assert "Falsk" not in browser.get(edit_url(drafting, item)).content.decode()


def _unsent_token(response) -> str:
    found = re.search(r'name="unsent" value="([^"]+)"', response.content.decode())
    return found[1] if found else ""


def _log_in_carrying(browser, user, unsent: str, next_url: str):
    """The login form posted as the browser posts it, with what it carried back."""
    answer = browser.post(
        reverse("login"),
        {
            "username": user.username,
            "password": "hemligt-lösenord-1",
            "next": next_url,
            "unsent": unsent,
        },
    )
    assert answer.status_code == 302
    verify_session(browser, user)


def test_text_posted_by_a_browser_no_account_used_is_kept_for_nobody(drafting, secretary):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    planted = Client()  # never logged in (or a cookie someone else set up)
    sent = planted.post(
        edit_url(drafting, item), paragraph_post(item, text="Planterad text: beslutet är upphävt.")
    )

    assert sent.status_code == 403 and _unsent_token(sent) == ""
    # Nothing is kept, and the page says so rather than promising it back (issue 29, 16).
    said = sent.content.decode()
    assert "det kunde inte heller sparas åt dig här" in said
    assert "kommer tillbaka i formuläret" not in said
    _log_in_carrying(planted, secretary, "", edit_url(drafting, item))
    page = planted.get(edit_url(drafting, item)).content.decode()
    assert "Planterad text" not in page
    assert "Du loggades ut medan du skrev" not in page


def test_text_kept_for_one_account_is_not_given_to_another(drafting, secretary, organisation):
    from tests.conftest import _secretary

    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    browser = log_in_with_two_factor(Client(), secretary)
    browser.get(edit_url(drafting, item))
    browser.session.delete()
    sent = browser.post(edit_url(drafting, item), paragraph_post(item, text="Åsas text."))
    unsent = _unsent_token(sent)
    assert signing.loads(unsent, salt="paragraf.unsent-post")["user"] == secretary.pk

    other = _secretary("bertil", organisation)
    _log_in_carrying(browser, other, unsent, edit_url(drafting, item))
    page = browser.get(edit_url(drafting, item)).content.decode()

    assert "Åsas text." not in page
    assert UNSENT not in browser.session  # dropped, not kept for later


def test_logging_out_forgets_whose_browser_it_was(drafting, secretary):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    browser = log_in_with_two_factor(Client(), secretary)
    browser.get(edit_url(drafting, item))
    assert "paragraf_writer" in browser.cookies

    out = browser.post("/logga-ut/")
    sent = browser.post(edit_url(drafting, item), paragraph_post(item, text="Efter utloggning."))

    assert out.cookies["paragraf_writer"].value == ""
    assert sent.status_code == 403 and _unsent_token(sent) == ""
