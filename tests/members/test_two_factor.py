"""Administrators and secretaries log in with a TOTP code as well as the password;
justerare and members do not need one."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
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
    assert not TOTPDevice.objects.filter(user=fredrik.user).exists()


def _staff_with_password_only(secretary) -> Client:
    """Åsa, a secretary and administrator of the installation, with her app set up,
    logged in with the password only (the code not given in this session)."""
    secretary.is_staff = secretary.is_superuser = True
    secretary.save()
    TOTPDevice.objects.filter(user=secretary).update(confirmed=True)
    return logged_in("asa")


@pytest.mark.django_db
@pytest.mark.parametrize("trusted_prefix", [False, True])
@pytest.mark.parametrize("prefix", ["", "/x"])
@pytest.mark.parametrize("url", ["/admin/", "/admin/auth/user/", "/arbete/", "/start/"])
def test_no_prefix_opens_a_page_without_the_second_factor(
    secretary, settings, url, prefix, trusted_prefix
):
    # A server that passes a client's SCRIPT_NAME on (gunicorn takes it from a header)
    # and an installation that believes it (FORCE_SCRIPT_NAME unset): the admin's
    # view is still the admin's view, and asks for the code.
    if trusted_prefix:
        settings.FORCE_SCRIPT_NAME = None
    client = _staff_with_password_only(secretary)

    response = client.get(url, SCRIPT_NAME=prefix)

    # (The test client sets no script prefix for reverse(): the page's own address
    # is what the next= says.)
    shown = (prefix if trusted_prefix else "") + url
    assert response.status_code == 302
    assert response["Location"] == f"/konto/tvastegsinloggning/?next={shown}"


@pytest.mark.django_db
def test_a_password_alone_changes_no_password_through_a_prefixed_admin(secretary, settings):
    settings.FORCE_SCRIPT_NAME = None
    victim = User.objects.create_user("bertil", password="bertils-lösenord-9")
    client = _staff_with_password_only(secretary)

    response = client.post(
        f"/admin/auth/user/{victim.pk}/password/",
        {
            "password1": "Angriparens-lösen-1",
            "password2": "Angriparens-lösen-1",
            "usable_password": "true",
        },
        SCRIPT_NAME="/x",
    )

    assert response.status_code == 302
    assert response["Location"] == (
        f"/konto/tvastegsinloggning/?next=/x/admin/auth/user/{victim.pk}/password/"
    )
    victim.refresh_from_db()
    assert victim.check_password("bertils-lösenord-9")


@pytest.mark.django_db
def test_the_admin_site_itself_asks_for_the_second_factor(secretary, settings):
    # Whatever reaches an admin view without the middleware's check (a middleware
    # list changed, a view added later), the site refuses a password-only session.
    settings.MIDDLEWARE = [
        m for m in settings.MIDDLEWARE if m != "members.two_factor.RequireTwoFactorMiddleware"
    ]
    client = _staff_with_password_only(secretary)

    listing = client.get("/admin/auth/user/")
    login = client.get(listing["Location"])

    assert listing.status_code == 302
    assert listing["Location"] == "/admin/login/?next=/admin/auth/user/"
    assert login.status_code == 302
    assert (
        login["Location"]
        == "/konto/tvastegsinloggning/?next=/admin/login/%3Fnext%3D/admin/auth/user/"
    )


@pytest.mark.django_db
def test_the_code_gives_the_session_a_new_key(secretary):
    device = TOTPDevice.objects.create(user=secretary, name="app", confirmed=True)
    client = logged_in("asa")
    before = client.session.session_key

    client.post("/konto/tvastegsinloggning/", {"token": code(device)})

    assert client.session.session_key != before
    assert client.get("/arbete/").status_code == 200


@pytest.mark.django_db
def test_a_password_alone_never_sets_up_a_new_app(secretary):
    # Åsa has her app. Someone with her password only is asked for its code, and
    # is offered no new key, whatever they do.
    TOTPDevice.objects.filter(user=secretary).update(confirmed=True)
    client = logged_in("asa")

    page = client.get("/konto/tvastegsinloggning/").content.decode()

    assert "<svg" not in page and "Nyckel" not in page
    assert TOTPDevice.objects.filter(user=secretary).count() == 1


@pytest.mark.django_db
def test_an_account_no_administrator_opened_cannot_set_up_an_app(organisation):
    # Made staff in the admin (is_staff), without a staff role: no setup was opened.
    User.objects.create_user("tove", password=PASSWORD, is_staff=True)
    client = logged_in("tove")

    page = client.get("/konto/tvastegsinloggning/")

    assert page.status_code == 403
    assert "administratör" in page.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_administrator_opens_the_setup_with_a_command(organisation):
    from django.core.management import call_command

    tove = User.objects.create_user("tove", password=PASSWORD, is_staff=True)
    call_command("allow_two_factor_setup", "tove")
    client = logged_in("tove")

    page = client.get("/konto/tvastegsinloggning/")

    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert TOTPDevice.objects.get(user=tove).confirmed is False


@pytest.mark.django_db
def test_staff_sessions_last_a_working_day_and_members_keep_the_default(secretary, fredrik):
    from django.conf import settings

    staff = logged_in("asa")
    fredrik.user = User.objects.create_user("fredrik", password=PASSWORD)
    fredrik.save()
    member = logged_in("fredrik")

    assert staff.session.get_expiry_age() <= 12 * 3600
    assert staff.session.get_expiry_age() > 11 * 3600
    assert member.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


@pytest.mark.django_db
def test_a_right_code_too_soon_after_a_wrong_one_is_told_to_wait(secretary, settings):
    """Issue 29, 6: django-otp makes each wrong code's next try wait (1, 2, 4 …
    seconds); the page says so and how long, and a right code after the wait works."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 10
    device = TOTPDevice.objects.create(user=secretary, name="app", confirmed=True)
    client = logged_in("asa")

    wrong = client.post("/konto/tvastegsinloggning/", {"token": "000000"})
    too_soon = client.post("/konto/tvastegsinloggning/", {"token": code(device)})

    assert "Koden är fel eller för gammal" in wrong.content.decode()
    assert too_soon.status_code == 400
    html = too_soon.content.decode()
    assert "Efter felaktiga koder dröjer nästa försök: vänta 10 sekunder" in html
    assert "Koden är fel" not in html
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=11)
    )
    assert client.post("/konto/tvastegsinloggning/", {"token": code(device, 1)}).status_code == 302


@pytest.mark.django_db
def test_the_code_page_shows_no_menu_before_the_code(secretary):
    TOTPDevice.objects.create(user=secretary, name="app", confirmed=True)

    html = logged_in("asa").get("/konto/tvastegsinloggning/").content.decode()

    header = html.split("</header>")[0]
    for item in ("Arkivet", "Att göra", "Arbetsyta", "Mina sammanträden", "Sök"):
        assert f">{item}</a>" not in header, item
    assert "Logga ut" in header
