"""The sealing race (issue: security probe H1): a write that arrives while the last
approval renders and seals must wait for it and then be refused, so that a justerat
protocol never holds text that was not approved. Two real connections on PostgreSQL,
with a pause inside the seal to make the race certain."""

import threading
import time

import pytest
from django.db import connection

from meetings.actions import justering, services
from meetings.documents import sealing
from meetings.models import ArchivedProtocol, Paragraph, ProtocolFrozen


@pytest.fixture
def slow_seal(monkeypatch):
    seal = sealing.seal

    def seal_slowly(pdf, **kwargs):
        time.sleep(1.5)
        return seal(pdf, **kwargs)

    monkeypatch.setattr(sealing, "seal", seal_slowly)


def _out_for_justering(drafted, annica, fredrik):
    from django.contrib.auth.models import User

    sealing.create_development_certificate()
    for person in (annica, fredrik):
        person.user = User.objects.create_user(person.name.split()[0].lower())
        person.save()
    justering.send_for_justering(
        drafted, justerare=[annica], deadline=drafted.date, by=None, notify=False
    )
    justering.approve(drafted, annica, version=justering.content_hash(drafted), user=annica.user)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_paragraph_saved_during_the_sealing_is_refused(drafted, annica, fredrik, slow_seal):
    _out_for_justering(drafted, annica, fredrik)
    item = drafted.paragraphs.get(title="Tjänsteköp Samordnare")
    approved_text = item.text
    results = {}

    def last_approval():
        try:
            results["justerat"] = justering.approve(
                drafted, fredrik, version=justering.content_hash(drafted), user=fredrik.user
            )
        finally:
            connection.close()

    def save_meanwhile():
        time.sleep(0.6)  # the approval is sealing now, its lock held
        try:
            services.save_paragraph(
                Paragraph.objects.get(pk=item.pk),
                revision=item.revision,
                fields={
                    **{f: getattr(item, f) for f in services.PARAGRAPH_FIELDS},
                    "text": "Ändrad text som ingen har justerat.",
                },
                decisions=[],
            )
            results["saved"] = True
        except ProtocolFrozen as e:
            results["refused"] = str(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=last_approval), threading.Thread(target=save_meanwhile)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert results.get("justerat") is True
    assert "saved" not in results
    assert results["refused"] == "Protokollet är justerat och kan inte längre ändras."
    item.refresh_from_db()
    assert item.text == approved_text
    assert item.decisions.count() == 1
    assert "Ändrad text" not in ArchivedProtocol.objects.get(meeting=drafted).content


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_paragraph_saved_just_before_the_last_approval_makes_it_fail(drafted, annica, fredrik):
    """The other order: the save takes the lock first; the approval, of the version
    read before the save, is then refused as of an old version."""
    _out_for_justering(drafted, annica, fredrik)
    version = justering.content_hash(drafted)
    item = drafted.paragraphs.get(title="Tjänsteköp Samordnare")
    services.save_paragraph(
        item,
        revision=item.revision,
        fields={**{f: getattr(item, f) for f in services.PARAGRAPH_FIELDS}, "text": "Ny."},
        decisions=[],
    )

    with pytest.raises(justering.JusteringError, match="har ändrats sedan du öppnade det"):
        justering.approve(drafted, fredrik, version=version, user=fredrik.user)
    drafted.refresh_from_db()
    assert not drafted.is_frozen


def test_the_editor_says_the_protocol_was_justerat_and_keeps_the_text(client, justerat, secretary):
    from tests.conftest import log_in_with_two_factor

    log_in_with_two_factor(client, secretary)
    item = justerat.paragraphs.get(title="Tjänsteköp Samordnare")
    response = client.post(
        f"/arbete/sammantraden/{justerat.pk}/punkter/{item.pk}/",
        {
            "section": item.section,
            "title": item.title,
            "text": "Min nya text",
            "revision": item.revision,
            "decisions-TOTAL_FORMS": 0,
            "decisions-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "Protokollet är justerat och kan inte längre ändras." in html
    assert "Min nya text" in html
    item.refresh_from_db()
    assert item.text != "Min nya text"
