"""The tillgänglighetsredogörelse after Digg's model, for the installation and for
each organisation, with its facts from the settings and the organisation."""

import pytest


def test_the_installations_statement_follows_diggs_model(client, db, settings):
    settings.ACCESSIBILITY_OPERATOR = "Region Exempel, IT-avdelningen"
    settings.ACCESSIBILITY_EMAIL = "tillganglighet@example.se"
    settings.ACCESSIBILITY_ASSESSED_ON = "2026-12-01"

    response = client.get("/tillganglighet/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Region Exempel, IT-avdelningen står bakom den här webbplatsen." in html
    for heading in (
        "Hur tillgänglig är webbplatsen?",
        "Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "Rapportera brister i webbplatsens tillgänglighet",
        "Tillsyn",
        "Teknisk information om webbplatsens tillgänglighet",
        "Innehåll som inte är tillgängligt",
        "Innehåll som inte omfattas av lagkraven",
        "Hur vi testat webbplatsen",
    ):
        assert f">{heading}</h" in html, heading
    # Issue 32: the service it covers, the day it was last updated, and what is out
    # of the law's scope (Digg's model).
    assert "Den här tillgänglighetsredogörelsen gäller webbplatsen Paragraf, " in html
    assert "Redogörelsen uppdaterades senast den 7 december 2026." in html
    assert "publicerades före den 23 september 2018" in html
    assert "delvis förenlig med lagen om tillgänglighet till digital offentlig service" in html
    assert 'href="https://www.digg.se/tdosanmalan"' in html
    assert 'href="mailto:tillganglighet@example.se"' in html
    assert "Den senaste bedömningen gjordes den 1 december 2026." in html


def test_an_organisations_statement_gives_its_own_contact(client, organisation, settings):
    settings.ACCESSIBILITY_EMAIL = "drift@example.se"
    organisation.email = "kansli@norrbotten.example"
    organisation.phone = "0920-45 67 89"
    organisation.save()

    html = client.get("/norrbotten/tillganglighet/").content.decode()

    assert f"{organisation.name} står bakom den här webbplatsen." in html
    assert 'href="mailto:kansli@norrbotten.example"' in html
    assert "Telefon: 0920-45 67 89" in html
    assert "drift@example.se" not in html
    # And every page of the organisation says how to reach it, in its footer.
    footer = client.get("/norrbotten/").content.decode().split("<footer", 1)[1]
    assert 'href="/norrbotten/tillganglighet/"' in footer
    assert "kansli@norrbotten.example" in footer and "0920-45 67 89" in footer


@pytest.mark.parametrize("url", ["/tillganglighet/", "/norrbotten/tillganglighet/"])
def test_the_statement_is_a_cacheable_public_page(client, organisation, url):
    response = client.get(url)

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_an_unknown_organisation_has_no_statement(client, db):
    assert client.get("/finns-inte/tillganglighet/").status_code == 404


def test_the_installations_statement_names_each_organisation_to_write_to(client, organisation):
    organisation.email = "kansli@norrbotten.example"
    organisation.save()

    html = client.get("/tillganglighet/").content.decode()

    assert 'href="/norrbotten/tillganglighet/"' in html
    assert 'href="mailto:kansli@norrbotten.example"' in html
