from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class SwedishFirstLocaleMiddleware:
    """Swedish unless the visitor chose another language (the language cookie set by
    Django's set_language view).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so that a
    citizen with an English browser got an English site; a Swedish public body's
    protocols speak Swedish to everyone unless asked otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class PermissionsPolicyMiddleware:
    """Every answer says which browser features its page may use: none of the
    powerful ones (camera, microphone, geolocation, payment, USB …). Placed outside
    WhiteNoise and the error handling, so static files and error pages carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
