"""Beslutsuppföljning in the workspace: the uppdrag of the secretary's justerat
protocols, filtered, paginated, exported as CSV, and each one's status recorded."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import followup
from meetings.forms import FollowUpForm
from meetings.views.secretary import _require_workspace
from members.models import Body, Person
from members.two_factor import private

PER_PAGE = 50


def _filtered(request: HttpRequest):
    uppdrag = followup.followed(request.user)
    body = request.GET.get("organ", "")
    assignee = request.GET.get("ansvarig", "")
    if body.isdigit():
        uppdrag = uppdrag.filter(decision__paragraph__meeting__body_id=int(body))
    if assignee.isdigit():
        uppdrag = uppdrag.filter(assignee_id=int(assignee))
    only = request.GET.get("lage", "")
    return followup.rows(
        uppdrag, timezone.localdate(), only=only if only in followup.STATES else ""
    )


def _without(request: HttpRequest, *names: str) -> str:
    kept = request.GET.copy()
    for name in names:
        kept.pop(name, None)
    return kept.urlencode()


@private
def follow_ups(request: HttpRequest) -> HttpResponse:
    _require_workspace(request)
    listed = _filtered(request)
    if request.GET.get("format") == "csv":
        return _csv(listed)
    page = Paginator(listed, PER_PAGE).get_page(request.GET.get("sida"))
    mine = followup.followed(request.user)
    return render(
        request,
        "meetings/workspace/follow_ups.html",
        {
            "page": page,
            "states": followup.STATES,
            "bodies": Body.objects.filter(
                pk__in=mine.values("decision__paragraph__meeting__body")
            ).order_by("name"),
            "assignees": Person.objects.filter(pk__in=mine.values("assignee")).order_by("name"),
            "chosen": request.GET,
            "query_string": _without(request, "sida"),
            "csv_query": _without(request, "sida", "format"),
        },
    )


def _csv(listed: list[dict]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="uppfoljning.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 by its mark
    out = csv.writer(response, delimiter=";")
    out.writerow(
        [_("Body"), _("Meeting"), "§", _("Task"), _("Assigned to"), _("Due"), _("Status"),
         _("Where it stands"), _("As of"), _("Note (what has been done)"), _("Reported back")]
    )  # fmt: skip
    for row in listed:
        u, f = row["uppdrag"], row["follow_up"]
        out.writerow(
            [
                row["meeting"].body.name,
                f"{row['meeting'].date:%Y-%m-%d}",
                row["paragraph"].number or "",
                u.description,
                u.assignee.name if u.assignee else "",
                f"{u.due_date:%Y-%m-%d}" if u.due_date else "",
                row["status"],
                row["state_label"],
                f"{f.status_date:%Y-%m-%d}" if f and f.status_date else "",
                f.note if f else "",
                (
                    f"{f.report.sign}, {f.report.meeting.body.name} "
                    f"{f.report.meeting.date:%Y-%m-%d}"
                    if f and f.report
                    else ""
                ),
            ]
        )
    return response


@private
def follow_up_edit(request: HttpRequest, uppdrag: int) -> HttpResponse:
    _require_workspace(request)
    found = followup.followed(request.user).filter(pk=uppdrag).first()
    if found is None:
        raise Http404
    current = getattr(found, "follow_up", None)
    form = FollowUpForm.of(current, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.record(found, by=request.user):
        messages.success(request, _("The follow-up is saved."))
        # Back to the list as it was filtered (the link here carried its filters).
        listed = reverse("workspace:follow_ups")
        return redirect(f"{listed}?{request.GET.urlencode()}" if request.GET else listed)
    return render(
        request,
        "meetings/workspace/follow_up_form.html",
        {
            "form": form,
            "uppdrag": found,
            "meeting": found.decision.paragraph.meeting,
            "paragraph": found.decision.paragraph,
            "history": current.history.order_by("-history_date")[:20] if current else (),
        },
        status=400 if request.method == "POST" else 200,
    )
