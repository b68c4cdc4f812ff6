"""The site's own error pages (DEBUG is off in the tests, as in production)."""

import pytest
from django.test import Client, RequestFactory

from meetings.views import errors


def _is_a_page_of_the_site(html: str) -> None:
    assert '<html lang="sv">' in html
    assert "Paragraf</a>" in html  # the site's header
    assert "<style" not in html and "<script" not in html and "style=" not in html


@pytest.mark.django_db
def test_a_mistyped_address_gets_the_swedish_404_page(client):
    response = client.get("/det-finns-inget-sadant/och-inte-detta/")

    assert response.status_code == 404
    html = response.content.decode()
    _is_a_page_of_the_site(html)
    assert "Sidan finns inte" in html
    assert 'href="/sok/"' in html


@pytest.mark.django_db
def test_a_form_sent_without_its_token_gets_the_swedish_csrf_page():
    response = Client(enforce_csrf_checks=True).post("/logga-in/", {"username": "x"})

    assert response.status_code == 403
    html = response.content.decode()
    _is_a_page_of_the_site(html)
    assert "Formuläret hade gått ut" in html


@pytest.mark.django_db
def test_a_refusal_in_the_workspace_says_why(secretary_client, justerat):
    item = justerat.paragraphs.first()
    response = secretary_client.post(
        f"/arbete/sammantraden/{justerat.pk}/punkter/{item.pk}/flytta/", {"direction": "down"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    _is_a_page_of_the_site(html)
    assert "Protokollet är justerat och kan inte längre ändras." in html


@pytest.mark.django_db
def test_the_500_page_is_the_sites_own():
    response = errors.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    _is_a_page_of_the_site(html)
    assert "Något gick fel hos oss" in html
