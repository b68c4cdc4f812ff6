"""The site's own error pages: Swedish, in the site's layout, saying what happened
and where to go next (no inline style or script: the CSP forbids them)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from meetings.models import NotNow


def _page(request, status: int, title: str, text: str, reason: str = "") -> HttpResponse:
    context = {"status": status, "title": title, "text": text, "reason": reason}
    return render(request, "error.html", context, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        400,
        _("The request could not be understood"),
        _("Something in the address or the form was not as expected."),
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    # The reason is ours to show when we gave one (e.g. "the protocol is justerat").
    # The reason is ours to show when we gave one (e.g. "the protocol is justerat").
    reason = str(exception) if exception and str(exception) else ""
    if isinstance(exception, NotNow):
        # The meeting's state refuses, not the account's rights: say only that.
        return _page(request, 403, _("This cannot be done now"), "", reason)
    return _page(
        request,
        403,
        _("You may not do this"),
        _("Your account does not have the right to see or change this."),
        reason,
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _page(
        request,
        404,
        _("The page was not found"),
        _(
            "The address may be mistyped, or the page has moved. Protocols are "
            "found by organisation, body and year, or by search."
        ),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: what failed may be the database that the
    # request's user and session would need.
    context = {
        "status": 500,
        "title": _("Something went wrong on our side"),
        "text": _(
            "Nothing you typed is wrong. Try again in a while; if it happens "
            "again, tell the organisation's secretary."
        ),
    }
    return HttpResponse(render_to_string("error.html", context), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        403,
        _("The form had expired"),
        _(
            "For your safety a form can only be sent from a page opened in this "
            "session. Go back, reload the page and send it again."
        ),
    )
