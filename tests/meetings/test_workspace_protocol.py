import pytest
from django.urls import reverse

from meetings.actions import services
from meetings.models import Attendance, Decision, Paragraph


@pytest.fixture
def drafting(planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.start_protocol(planned)
    return planned


def attendance_post(meeting, **changes):
    """The attendance form as the browser posts it, with `changes` per person name."""
    data = {}
    for row in meeting.attendances.select_related("person"):
        values = {
            "capacity": row.capacity,
            "substitutes_for": row.substitutes_for_id or "",
            "role_title": row.role_title,
            "present_from": row.present_from_id or "",
            "present_until": row.present_until_id or "",
            **changes.get(row.person.name, {}),
        }
        data.update({f"a{row.pk}-{k}": v for k, v in values.items()})
    return data


def paragraph_post(paragraph, revision=None, decisions=(), **fields):
    data = {
        "section": paragraph.section,
        "title": paragraph.title,
        "text": paragraph.text,
        "diarienummer": paragraph.diarienummer,
        "public_title": paragraph.public_title,
        "revision": paragraph.revision if revision is None else revision,
        "decisions-TOTAL_FORMS": len(decisions),
        "decisions-INITIAL_FORMS": 0,
        "decisions-MIN_NUM_FORMS": 0,
        "decisions-MAX_NUM_FORMS": 1000,
    }
    data.update(fields)
    for i, d in enumerate(decisions):
        data.update({f"decisions-{i}-{k}": v for k, v in d.items()})
    return data


def test_partial_presence_and_a_serving_deputy_are_recorded(secretary_client, drafting, seats):
    # This förbund lets any deputy serve for any member (test_attendance_rules.py has
    # the same-party rule).
    drafting.body.organisation.deputy_same_party = False
    drafting.body.organisation.save()
    from_item = drafting.paragraphs.get(number=4)
    annica = drafting.attendances.get(person__name="Annica Alatalo")
    lisa = drafting.attendances.get(person__name="Lisa Persson")
    data = attendance_post(
        drafting,
        **{
            "Bengt-Åke Strand": {"present_from": from_item.pk},
            "Annica Alatalo": {"capacity": "franvarande"},
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": annica.person_id,
            },
        },
    )

    response = secretary_client.post(reverse("workspace:attendance", args=[drafting.pk]), data)

    assert response.status_code == 302
    bengt = drafting.attendances.get(person__name="Bengt-Åke Strand")
    assert bengt.presence_note() == "(från § 4)"
    lisa.refresh_from_db()
    assert (lisa.capacity, lisa.substitutes_for.name) == (
        "tjanstgorande_ersattare",
        "Annica Alatalo",
    )


def test_a_serving_deputy_without_a_member_is_refused_and_nothing_is_lost(
    secretary_client, drafting
):
    data = attendance_post(
        drafting,
        **{
            "Lisa Persson": {"capacity": "tjanstgorande_ersattare"},
            "Åsa Snårbacka": {"role_title": "Förbundschef och sekreterare"},
        },
    )

    response = secretary_client.post(reverse("workspace:attendance", args=[drafting.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ange vilken ledamot ersättaren tjänstgör för." in html
    assert 'value="Förbundschef och sekreterare"' in html
    assert drafting.attendances.get(person__name="Åsa Snårbacka").role_title == "Förbundschef"


def test_another_participant_is_added_with_the_rest_of_the_attendance(secretary_client, drafting):
    data = attendance_post(drafting, **{"Åsa Snårbacka": {"role_title": "Förbundschef"}})
    secretary_client.post(
        reverse("workspace:attendance", args=[drafting.pk]),
        {**data, "new-name": "Kalle Gäst", "new-role_title": "Revisor"},
    )

    row = drafting.attendances.get(person__name="Kalle Gäst")
    assert (row.capacity, row.role_title) == ("ovrig", "Revisor")


def test_a_paragraph_is_written_with_every_kind_of_decision_detail(
    secretary_client, drafting, styrelse, fredrik, annica, bengt, asa
):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    data = paragraph_post(
        item,
        text="Lokala samverkansgruppen i Boden har beslutat om rekrytering.",
        diarienummer="SF 2021/9",
        decisions=[
            {
                "kind": "forslag",
                "proposed_to": styrelse.pk,
                "text": "Arbetsutskottet föreslår styrelsen att fastställa tjänsteköpet.",
            },
            {
                "kind": "beslut",
                "text": "Arbetsutskottet beslutar att ta fram avtal.",
                # Annica's jäv (below) leaves two of the three voting: 1 + 1.
                "votes_for": 1,
                "votes_against": 1,
                "vote_result": "Bifall.",
                "uppdrag": "Ta fram tjänsteköpsavtal",
                "uppdrag_assignee": asa.pk,
                "uppdrag_due": "2021-10-31",
                f"reserves_{bengt.pk}": "on",
                f"motivation_{bengt.pk}": "Till förmån för eget yrkande.",
                "jav": [annica.pk],
            },
        ],
    )

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]), data
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.text, item.diarienummer, item.revision) == (
        "Lokala samverkansgruppen i Boden har beslutat om rekrytering.",
        "SF 2021/9",
        1,
    )
    proposal, decision = item.decisions.all()
    assert (proposal.kind, proposal.proposed_to) == ("forslag", styrelse)
    assert (decision.votes_for, decision.votes_against, decision.vote_result) == (1, 1, "Bifall.")
    task = decision.uppdrag.get()
    assert (task.description, task.assignee, str(task.due_date)) == (
        "Ta fram tjänsteköpsavtal",
        asa,
        "2021-10-31",
    )
    assert [(r.person, r.motivation) for r in decision.reservations.all()] == [
        (bengt, "Till förmån för eget yrkande.")
    ]
    assert [j.person for j in decision.jav.all()] == [annica]


def test_the_editor_shows_the_saved_decisions_again(secretary_client, drafting, styrelse):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    Decision.objects.create(paragraph=item, kind="forslag", proposed_to=styrelse, text="Förslag X")

    html = secretary_client.get(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk])
    ).content.decode()

    assert "Förslag X" in html
    assert f'<option value="{styrelse.pk}" selected>' in html


def test_a_proposal_without_a_body_is_refused_and_the_text_kept(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    data = paragraph_post(
        item,
        text="Min långa text som inte får försvinna.",
        decisions=[{"kind": "forslag", "text": "Föreslår styrelsen att …"}],
    )

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]), data
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ange vilket organ förslaget går till." in html
    assert "Min långa text som inte får försvinna." in html
    assert "Föreslår styrelsen att …" in html
    item.refresh_from_db()
    assert item.text == ""


def test_a_confidential_paragraph_needs_a_public_title_in_the_editor(secretary_client, drafting):
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")

    response = secretary_client.post(
        reverse("workspace:paragraph", args=[drafting.pk, item.pk]),
        paragraph_post(item, is_confidential="on", public_title=""),
    )

    assert "En paragraf med sekretess behöver en offentlig rubrik." in response.content.decode()


def test_the_second_of_two_simultaneous_edits_does_not_overwrite_the_first(
    secretary_client, drafting
):
    """Two people open the same paragraph (revision 0). The first saves; the second
    saves later from revision 0 and is shown the conflict, keeping their text."""
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    url = reverse("workspace:paragraph", args=[drafting.pk, item.pk])
    first = paragraph_post(item, text="Åsas text: tjänsteköpet avser ett år.")
    second = paragraph_post(item, text="Fredriks text: tjänsteköpet avser två år.")

    assert secretary_client.post(url, first).status_code == 302
    response = secretary_client.post(url, second)

    html = response.content.decode()
    assert response.status_code == 409
    # The same account saved first: in another tab, not "someone else" (issue 29, 16).
    assert "Du sparade den här paragrafen i en annan flik eller ett annat fönster" in html
    assert "Någon annan har sparat paragrafen medan du skrev" not in html
    assert "Åsas text: tjänsteköpet avser ett år." in html  # the saved version, shown
    assert "Fredriks text: tjänsteköpet avser två år." in html  # what was typed, kept
    assert 'name="revision" value="1"' in html
    item.refresh_from_db()
    assert item.text == "Åsas text: tjänsteköpet avser ett år."

    # Saving again from the conflict page is a deliberate replacement.
    second["revision"] = 1
    assert secretary_client.post(url, second).status_code == 302
    item.refresh_from_db()
    assert (item.text, item.revision) == ("Fredriks text: tjänsteköpet avser två år.", 2)


def test_a_conflict_names_who_saved_first(secretary_client, drafting):
    from django.contrib.auth.models import User

    from members.models import Person

    lisa = Person.objects.get(name="Lisa Persson")
    item = drafting.paragraphs.get(title="Tjänsteköp Samordnare")
    lisa.user = User.objects.create_user("lisa")
    lisa.save()
    fields = {f: getattr(item, f) for f in services.PARAGRAPH_FIELDS}
    services.save_paragraph(
        item, revision=0, decisions=[], by=lisa.user, fields={**fields, "text": "Lisas text."}
    )
    url = reverse("workspace:paragraph", args=[drafting.pk, item.pk])

    html = secretary_client.post(url, paragraph_post(item, text="Åsas text.")).content.decode()

    assert "Lisa Persson sparade den här paragrafen medan du skrev" in html


def test_a_paragraph_of_another_meeting_is_not_found_under_this_one(secretary_client, drafting, au):
    from tests import factories

    other = factories.meeting(au, drafting.date.replace(day=1))
    stranger = Paragraph.objects.create(meeting=other, position=1, section="beslut", title="X")

    response = secretary_client.get(reverse("workspace:paragraph", args=[drafting.pk, stranger.pk]))

    assert response.status_code == 404


def test_attendance_is_never_changed_by_a_get(secretary_client, drafting):
    before = list(Attendance.objects.values_list("id", "capacity"))

    secretary_client.get(reverse("workspace:attendance", args=[drafting.pk]))

    assert list(Attendance.objects.values_list("id", "capacity")) == before
