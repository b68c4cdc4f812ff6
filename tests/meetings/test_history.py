"""The audit trail of protocol content: every change of a paragraph and its
decisions, by whom and when, on the paragraph's page."""

import pytest
from django.db import connection
from django.urls import reverse

from meetings.actions import services
from meetings.models import Decision, Paragraph


@pytest.fixture
def item(planned):
    paragraph = services.add_item(planned, section="beslut", title="Tjänsteköp")
    services.start_protocol(planned)
    return Paragraph.objects.get(pk=paragraph.pk)


def edit(client, meeting, paragraph, *, title, decision):
    form = {
        "section": "beslut",
        "title": title,
        "text": "",
        "diarienummer": "",
        "public_title": "",
        "revision": Paragraph.objects.get(pk=paragraph.pk).revision,
        "decisions-TOTAL_FORMS": 1,
        "decisions-INITIAL_FORMS": 0,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
        "decisions-0-kind": "beslut",
        "decisions-0-text": decision,
    }
    url = reverse("workspace:paragraph", args=[meeting.pk, paragraph.pk])
    assert client.post(url, form).status_code == 302
    return url


def test_each_change_is_recorded_with_who_and_what(secretary_client, planned, item):
    edit(secretary_client, planned, item, title="Tjänsteköp samordnare", decision="Beslutas att.")
    url = edit(
        secretary_client,
        planned,
        item,
        title="Tjänsteköp samordnare",
        decision="Beslutas att anta tjänsteköpet.",
    )

    records = list(item.history.order_by("history_date").values_list("history_type", "title"))
    assert records[0] == ("+", "Tjänsteköp")
    assert ("~", "Tjänsteköp samordnare") in records
    assert item.history.filter(history_user__username="asa").exists()
    assert Decision.history.filter(paragraph_id=item.pk, text="Beslutas att anta tjänsteköpet.")

    assert "historik/" in secretary_client.get(url).content.decode()  # linked from the editor
    html = secretary_client.get(f"{url}historik/").content.decode()
    assert "Ändringshistorik" in html
    assert "Paragrafen ändrad: rubrik" in html
    assert "Ett beslut skapat" in html
    assert "<td>Åsa Snårbacka</td>" in html  # the person, not the account's user name


def queries(client, url) -> tuple[int, str]:
    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        html = client.get(url).content.decode()
    return count[0], html


def test_the_history_costs_the_same_queries_after_many_changes(secretary_client, planned, item):
    url = reverse("workspace:paragraph_history", args=[planned.pk, item.pk])
    edit(secretary_client, planned, item, title="Tjänsteköp", decision="Beslut")
    once, _ = queries(secretary_client, url)
    for n in range(8):
        edit(secretary_client, planned, item, title=f"Tjänsteköp {n}", decision=f"Beslut {n}")

    many, html = queries(secretary_client, url)

    assert many == once > 5
    assert html.count("Paragrafen ändrad: rubrik") == 8


def test_a_bilaga_attached_to_the_paragraph_shows_in_its_history(secretary_client, planned, item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.attach_bilaga(
        item,
        title="Avtal",
        is_public=True,
        filename="avtal.pdf",
        file=SimpleUploadedFile("avtal.pdf", b"%PDF-1.4\n"),
    )
    url = reverse("workspace:paragraph_history", args=[planned.pk, item.pk])

    assert "En bilaga bifogad" in secretary_client.get(url).content.decode()


def test_a_reservation_or_jav_changed_is_named_and_only_what_changed_is_rewritten(
    secretary_client, planned, item
):
    """Issue 29, 14: the trail names a change of reservations, jäv and uppdrag."""
    from members.models import Person

    bengt, annica = (Person.objects.get(name=n) for n in ("Bengt-Åke Strand", "Annica Alatalo"))

    def decision(**held):
        return services.DecisionData(kind="beslut", text="Beslutas att bevilja.", **held)

    services.write_decisions(item, [decision()])
    services.write_decisions(item, [decision(reservations=((bengt, "Emot."),))])
    reservation = Decision.objects.get(paragraph=item).reservations.get()
    services.write_decisions(item, [decision(reservations=((bengt, "Emot."),), jav=(annica,))])

    assert Decision.objects.get(paragraph=item).reservations.get() == reservation  # kept
    url = reverse("workspace:paragraph_history", args=[planned.pk, item.pk])
    html = secretary_client.get(url).content.decode()
    assert "Ett beslut ändrat: reservationer</td>" in html
    assert "Ett beslut ändrat: jäv</td>" in html
    assert html.index("ändrat: jäv") < html.index("ändrat: reservationer")  # newest first
