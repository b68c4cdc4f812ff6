def test_the_landing_page_is_swedish_and_accessible_in_structure(client):
    response = client.get("/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="sv">' in html
    assert html.count("<h1>") == 1
    assert 'href="#main"' in html
    assert "Paragraf: mötesprotokoll för svenska offentliga organ" in html
