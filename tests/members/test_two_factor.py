"""Administrators and secretaries log in with a TOTP code as well as the password;
justerare and members do not need one."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from members.models import StaffRole
from tests.conftest import totp_code as code

PASSWORD = "hemligt-lösenord-1"


def logged_in(username: str) -> Client:
    client = Client()
    assert (
        client.post("/logga-in/", {"username": username, "password": PASSWORD}).status_code == 302
    )
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/arbete/", "/arbete/sammantraden/nytt/", "/admin/"])
def test_a_secretary_with_only_a_password_is_sent_to_the_code_page(secretary, url):
    response = logged_in("asa").get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/konto/tvastegsinloggning/?next={url}"


@pytest.mark.django_db
def test_the_first_time_the_app_is_set_up_and_its_code_confirms_it(secretary, settings):
    # django-otp makes each failure wait longer before the next try; not this test's topic.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client = logged_in("asa")
    page = client.get("/konto/tvastegsinloggning/?next=/arbete/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=secretary)

    assert page.status_code == 200
    assert "<svg" in html and "Nyckel" in html
    assert not device.confirmed

    wrong = client.post("/konto/tvastegsinloggning/", {"token": "000000", "next": "/arbete/"})
    assert wrong.status_code == 400
    assert "Koden är fel eller för gammal" in wrong.content.decode()
    assert client.get("/arbete/").status_code == 302

    right = client.post("/konto/tvastegsinloggning/", {"token": code(device), "next": "/arbete/"})
    assert right.status_code == 302
    assert right["Location"] == "/arbete/"
    assert client.get("/arbete/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_later_logins_ask_for_the_code_only_and_a_code_works_once(secretary):
    device = TOTPDevice.objects.create(user=secretary, name="app", confirmed=True)
    client = logged_in("asa")

    page = client.get("/konto/tvastegsinloggning/").content.decode()
    assert "<svg" not in page
    token = code(device)
    assert client.post("/konto/tvastegsinloggning/", {"token": token}).status_code == 302
    assert client.get("/arbete/").status_code == 200

    other = logged_in("asa")  # the same code again, in another session: refused
    assert other.post("/konto/tvastegsinloggning/", {"token": token}).status_code == 400
    assert other.get("/arbete/").status_code == 302


@pytest.mark.django_db
def test_an_offsite_next_address_is_not_followed(secretary):
    device = TOTPDevice.objects.create(user=secretary, name="app", confirmed=True)
    client = logged_in("asa")

    response = client.post(
        "/konto/tvastegsinloggning/", {"token": code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/arbete/"


@pytest.mark.django_db
def test_administrators_need_it_too_and_people_without_a_staff_role_do_not(organisation, fredrik):
    admin = User.objects.create_user("admin", password=PASSWORD)
    StaffRole.objects.create(user=admin, organisation=organisation, role="administrator")
    assert logged_in("admin").get("/arbete/").status_code == 302

    fredrik.user = User.objects.create_user("fredrik", password=PASSWORD)
    fredrik.save()
    client = logged_in("fredrik")
    assert client.get("/arbete/").status_code == 403  # no staff role: no workspace at all
    assert client.get("/konto/tvastegsinloggning/")["Location"] == "/"
    assert not TOTPDevice.objects.exists()
