"""Attendance at § granularity: one seat one vote, a deputy for a member of the same
party (where the förbund says so), quorum as a warning; the whole page saved at once."""

import pytest
from django.urls import reverse

from meetings.actions import services
from meetings.models import Attendance
from tests.meetings.test_workspace_protocol import attendance_post


@pytest.fixture
def drafting(planned):
    services.add_item(planned, section="beslut", title="Tjänsteköp Samordnare")
    services.add_item(planned, section="beslut", title="Policy lönetillägg")
    services.start_protocol(planned)
    return planned


def post(client, meeting, **changes):
    return client.post(
        reverse("workspace:attendance", args=[meeting.pk]), attendance_post(meeting, **changes)
    )


def numbered(meeting, number):
    return meeting.paragraphs.get(number=number)


def test_a_deputy_serves_for_an_absent_member(secretary_client, drafting):
    fredrik = drafting.attendances.get(person__name="Fredrik Hansson")
    response = post(
        secretary_client,
        drafting,
        **{
            "Fredrik Hansson": {"capacity": "franvarande"},
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": fredrik.person_id,
            },
        },
    )

    assert response.status_code == 302
    assert drafting.attendances.get(person__name="Lisa Persson").substitutes_for == fredrik.person


def test_a_deputy_for_a_member_who_votes_is_two_votes_for_one_seat(secretary_client, drafting):
    fredrik = drafting.attendances.get(person__name="Fredrik Hansson")

    response = post(
        secretary_client,
        drafting,
        **{
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": fredrik.person_id,
            },
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Närvaron är inte sparad" in html
    assert (
        "Vid § 1–7 har platsen för Fredrik Hansson mer än en röst: Fredrik Hansson, Lisa Persson."
        in html
    )
    assert drafting.attendances.get(person__name="Lisa Persson").capacity == "ersattare"


def test_a_deputy_may_take_the_seat_for_the_paragraphs_the_member_is_away(
    secretary_client, drafting
):
    fredrik = drafting.attendances.get(person__name="Fredrik Hansson")
    # Fredrik leaves after § 4; Lisa serves from § 5: one vote at every §.
    ok = post(
        secretary_client,
        drafting,
        **{
            "Fredrik Hansson": {"present_until": numbered(drafting, 4).pk},
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": fredrik.person_id,
                "present_from": numbered(drafting, 5).pk,
            },
        },
    )
    assert ok.status_code == 302

    # Lisa from § 4 instead: at § 4 both vote.
    overlap = post(
        secretary_client,
        drafting,
        **{
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": fredrik.person_id,
                "present_from": numbered(drafting, 4).pk,
            },
        },
    )
    assert overlap.status_code == 400
    assert "Vid § 4 har platsen för Fredrik Hansson mer än en röst" in overlap.content.decode()


def test_a_deputy_serves_for_a_member_of_the_same_party(secretary_client, drafting):
    annica = drafting.attendances.get(person__name="Annica Alatalo")

    response = post(
        secretary_client,
        drafting,
        **{
            "Annica Alatalo": {"capacity": "franvarande"},
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": annica.person_id,
            },
        },
    )

    assert response.status_code == 400
    assert (
        "Lisa Persson kan inte tjänstgöra för Annica Alatalo: en ersättare tjänstgör för en "
        "ledamot från samma part." in response.content.decode()
    )
    drafting.body.organisation.deputy_same_party = False
    drafting.body.organisation.save()
    assert (
        post(
            secretary_client,
            drafting,
            **{
                "Annica Alatalo": {"capacity": "franvarande"},
                "Lisa Persson": {
                    "capacity": "tjanstgorande_ersattare",
                    "substitutes_for": annica.person_id,
                },
            },
        ).status_code
        == 302
    )


def test_fewer_than_half_the_seats_voting_is_a_warning(secretary_client, drafting):
    response = post(
        secretary_client,
        drafting,
        **{
            "Annica Alatalo": {"capacity": "franvarande"},
            "Bengt-Åke Strand": {"present_until": numbered(drafting, 5).pk},
        },
    )

    assert response.status_code == 302
    page = secretary_client.get(response["Location"]).content.decode()
    assert (
        "Vid § 6–7 är färre än hälften av de 3 platserna besatta med beslutande: organet "
        "kanske inte är beslutsfört."
    ) in page
    assert Attendance.objects.get(person__name="Annica Alatalo").capacity == "franvarande"


def test_a_rule_broken_keeps_every_edit_on_the_page(secretary_client, drafting):
    fredrik = drafting.attendances.get(person__name="Fredrik Hansson")
    data = attendance_post(
        drafting,
        **{
            "Lisa Persson": {
                "capacity": "tjanstgorande_ersattare",
                "substitutes_for": fredrik.person_id,
            },
            "Åsa Snårbacka": {"role_title": "Förbundschef och sekreterare"},
        },
    )
    data.update({"new-name": "Kalle Gäst", "new-role_title": "Revisor"})

    response = secretary_client.post(reverse("workspace:attendance", args=[drafting.pk]), data)

    html = response.content.decode()
    assert 'value="Förbundschef och sekreterare"' in html
    assert 'value="Kalle Gäst"' in html and 'value="Revisor"' in html
    assert not drafting.attendances.filter(person__name="Kalle Gäst").exists()


def test_a_deputy_serves_only_for_an_ordinary_member_of_the_body(secretary_client, drafting):
    staff = drafting.attendances.get(person__name="Åsa Snårbacka")
    lisa = drafting.attendances.get(person__name="Lisa Persson")
    page = secretary_client.get(reverse("workspace:attendance", args=[drafting.pk]))
    options = page.content.decode().split(f'name="a{lisa.pk}-substitutes_for"')[1]
    options = options.split("</select>")[0]
    # The members of the arbetsutskott that day; not staff, not the deputy herself.
    assert "Fredrik Hansson" in options and "Bengt-Åke Strand" in options
    assert "Åsa Snårbacka" not in options and "Lisa Persson" not in options

    # Through the service (as any other path would): refused with the reason.
    lisa.capacity = "tjanstgorande_ersattare"
    lisa.substitutes_for = staff.person
    with pytest.raises(services.AttendanceError) as refused:
        services.save_attendance(drafting, [lisa])
    assert refused.value.problems == [
        "Lisa Persson kan inte tjänstgöra för Åsa Snårbacka: en ersättare tjänstgör för en "
        "ordinarie ledamot i organet."
    ]
    assert drafting.attendances.get(pk=lisa.pk).substitutes_for is None


def test_no_quorum_warning_before_anyone_is_recorded_as_beslutande(drafting):
    rows = list(drafting.attendances.select_related("person"))
    for row in rows:
        row.capacity = "ersattare" if row.person.name == "Lisa Persson" else "ovrig"
    assert services.attendance_findings(drafting, rows).warnings == []
    rows[0].capacity = "beslutande"
    assert any("beslutsfört" in w for w in services.attendance_findings(drafting, rows).warnings)


def test_an_absent_justerare_is_a_warning(secretary_client, drafting, bengt):
    drafting.justerare.create(person=bengt)
    response = post(secretary_client, drafting, **{"Bengt-Åke Strand": {"capacity": "franvarande"}})
    assert response.status_code == 302
    page = secretary_client.get(response["Location"]).content.decode()
    assert (
        "Bengt-Åke Strand ska justera protokollet men är antecknad som frånvarande: välj en "
        "annan justerare." in page
    )
