import pytest

pytestmark = pytest.mark.django_db


def test_the_landing_page_is_swedish_and_accessible_in_structure(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert html.count("<h1>") == 1
    assert 'href="#main"' in html
    assert "Paragraf: mötesprotokoll för svenska offentliga organ" in html


def test_an_english_browser_still_gets_swedish(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "sv"
    assert "Hoppa till innehållet" in response.content.decode()


def test_english_is_there_for_whoever_chooses_it(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get("/")

    assert '<html lang="en">' in response.content.decode()
    assert "Skip to content" in response.content.decode()


def test_an_unknown_language_cookie_falls_back_to_swedish(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"

    assert client.get("/").headers["Content-Language"] == "sv"
