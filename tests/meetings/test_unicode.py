"""Arbitrary Unicode in every text field of a paragraph and its decision: saving
through the editor, the agenda page and the draft PDF never fail."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetings.actions import services
from meetings.models import Paragraph

# Any character a browser can send: lone surrogates (Cs) cannot be encoded in UTF-8,
# so no form can carry them.
characters = st.characters(exclude_categories=["Cs"])
text = st.text(characters, max_size=400)
line = st.text(characters, max_size=120)


@pytest.fixture
def item(planned):
    paragraph = services.add_item(planned, section="beslut", title="Tjänsteköp")
    services.start_protocol(planned)
    return Paragraph.objects.get(pk=paragraph.pk)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=line, body=text, dnr=line, public_title=line, decision=text, result=line, task=line)
def test_any_text_is_saved_shown_and_printed_or_refused_with_a_message(
    secretary_client, planned, item, title, body, dnr, public_title, decision, result, task
):
    current = Paragraph.objects.get(pk=item.pk)
    form = {
        "section": "beslut",
        "title": title,
        "text": body,
        "diarienummer": dnr,
        "public_title": public_title,
        "revision": current.revision,
        "decisions-TOTAL_FORMS": 1,
        "decisions-INITIAL_FORMS": 0,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "decisions-0-kind": "beslut",
        "decisions-0-text": decision,
        "decisions-0-votes_for": 3,
        "decisions-0-votes_against": 1,
        "decisions-0-vote_result": result,
        "decisions-0-uppdrag": task,
    }
    url = reverse("workspace:paragraph", args=[planned.pk, item.pk])

    saved = secretary_client.post(url, form)

    assert saved.status_code in (200, 302)  # saved, or the form again with a message
    if saved.status_code == 302:
        stored = Paragraph.objects.get(pk=item.pk)
        assert stored.title == title.strip()
        assert stored.decisions.get().text == decision.strip()
    else:
        assert 'class="invalid-feedback"' in saved.content.decode()
    assert secretary_client.get(reverse("workspace:meeting", args=[planned.pk])).status_code == 200
    assert secretary_client.get(url).status_code == 200
    pdf = secretary_client.get(reverse("workspace:draft_pdf", args=[planned.pk]))
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
