import datetime

from django.urls import reverse

from meetings.models import Meeting, Paragraph
from tests import factories
from tests.factories import agenda


def meeting_form(m, paragraph, *, date, delete_paragraph=False) -> dict:
    """The admin's meeting form as the browser posts it, with its one paragraph."""
    form = {
        "body": m.body_id,
        "date": date,
        "start_time": "09:00",
        "end_time": "11:00",
        "place": "",
        "status": "planerat",
        "justerare-TOTAL_FORMS": 0,
        "justerare-INITIAL_FORMS": 0,
        "paragraphs-TOTAL_FORMS": 1,
        "paragraphs-INITIAL_FORMS": 1,
        "paragraphs-0-id": paragraph.pk,
        "paragraphs-0-meeting": m.pk,
        "paragraphs-0-position": 1,
        "paragraphs-0-section": "beslut",
        "paragraphs-0-title": paragraph.title,
        "attendances-TOTAL_FORMS": 0,
        "attendances-INITIAL_FORMS": 0,
        "bilagor-TOTAL_FORMS": 0,
        "bilagor-INITIAL_FORMS": 0,
    }
    if delete_paragraph:
        form["paragraphs-0-DELETE"] = "on"
    return form


def test_the_meeting_page_offers_only_the_meetings_own_people(
    admin_client, meeting, fredrik, other_organisation
):
    factories.person(other_organisation, "Sven Utomstående")

    page = admin_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))

    assert "Fredrik Hansson" in page.content.decode()
    assert "Sven Utomstående" not in page.content.decode()


def test_the_number_action_numbers_the_chosen_meetings(admin_client, au):
    m = factories.meeting(au, datetime.date(2026, 1, 19))
    agenda(m, "Mötets öppnande", "Val av justerare")

    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "give_numbers", "_selected_action": [m.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert list(m.paragraphs.values_list("number", flat=True)) == [1, 2]
    assert "§ 1–2" in response.content.decode()


def test_the_number_action_reports_a_refusal(admin_client, au):
    jan = factories.meeting(au, datetime.date(2026, 1, 19))
    agenda(jan, "Budget")
    factories.numbered_meeting(au, datetime.date(2026, 2, 23), 2)

    response = admin_client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "give_numbers", "_selected_action": [jan.pk]},
        follow=True,
    )

    assert "2026-02-23" in response.content.decode()
    assert jan.paragraphs.get().number is None


def test_a_numbered_paragraph_cannot_be_deleted_in_the_admin(admin_client, au):
    m = factories.numbered_meeting(au, datetime.date(2026, 1, 19), 2)
    p = m.paragraphs.first()

    page = admin_client.get(reverse("admin:meetings_paragraph_delete", args=[p.pk]))

    assert page.status_code == 403
    assert Paragraph.objects.filter(pk=p.pk).exists()


def test_deleting_a_numbered_paragraph_through_the_meeting_form_is_refused(admin_client, au):
    m = factories.numbered_meeting(au, datetime.date(2026, 1, 19), 1)
    p = m.paragraphs.get()
    url = reverse("admin:meetings_meeting_change", args=[m.pk])
    form = meeting_form(m, p, date="2026-01-19", delete_paragraph=True)

    response = admin_client.post(url, form)

    assert response.status_code == 200  # the form again, with the error
    assert "stryk" in response.content.decode()
    assert Meeting.objects.get().paragraphs.count() == 1


def test_the_admin_refuses_to_move_a_numbered_meeting_to_another_year(admin_client, au):
    m = factories.numbered_meeting(au, datetime.date(2026, 1, 19), 1)
    p = m.paragraphs.get()
    form = meeting_form(m, p, date="2027-01-19")

    response = admin_client.post(reverse("admin:meetings_meeting_change", args=[m.pk]), form)

    assert response.status_code == 200
    assert "kan inte flyttas till ett annat år" in response.content.decode()
    m.refresh_from_db()
    assert str(m.date) == "2026-01-19"


def test_the_admin_index_names_the_login_protection_in_swedish(admin_client):
    """Issue 29, 16: django-axes and django-otp bring no Swedish of their own."""
    html = admin_client.get("/admin/").content.decode()

    for name in (
        "Spärr vid felaktiga inloggningar",
        "Misslyckade inloggningsförsök",
        "Logg över inloggningar",
        "Tvåstegsinloggning",
        "Autentiseringsappar (TOTP)",
    ):
        assert name in html, name
    assert "Access attempts" not in html and "TOTP devices" not in html
