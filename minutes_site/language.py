"""The language switch in every page's footer (Swedish by default, English on
request): a plain link, so that it works without JavaScript and without a form
(a CSRF token in every page would keep the public pages out of the shared cache)."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

ONE_YEAR = 365 * 24 * 3600


@require_safe
def choose(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember the visitor's language (the cookie SwedishFirstLocaleMiddleware
    reads) and go back to the page they came from, on this site only."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response
