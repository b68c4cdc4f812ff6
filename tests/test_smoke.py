def test_settings(settings):
    assert settings.SECRET_KEY == "test-only-not-a-secret"
