"""Wording (issue 29, 16): an item without a number is named by its title when it
is saved, and the justerare's comment button says what it does."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from meetings.actions import services
from tests.meetings.test_workspace_protocol import paragraph_post

pytestmark = pytest.mark.django_db


def test_an_unnumbered_item_is_saved_by_its_title(secretary_client, planned):
    item = planned.paragraphs.get(title="Mötets öppnande")
    assert item.number is None

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[planned.pk, item.pk]),
        paragraph_post(item, text="Ordföranden öppnar mötet."),
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["”Mötets öppnande” är sparad."]


def test_the_comment_button_says_kommentera(client, drafted, annica, fredrik, secretary):
    from meetings.actions import justering

    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=secretary, notify=False
    )
    annica.refresh_from_db()
    client.force_login(annica.user)

    page = client.get(reverse("justering:protocol", args=[drafted.pk])).content.decode()

    assert 'type="submit">Kommentera</button>' in page


def test_only_decision_items_wait_for_a_decision(secretary_client, planned):
    services.add_item(planned, section="beslut", title="Budget 2022")

    page = secretary_client.get(reverse("workspace:meeting", args=[planned.pk])).content.decode()

    # Five standard items (opening, closing …) and one decision item: one "not yet".
    assert page.count("Inget beslut ännu") == 1
