"""The assignee's own uppdrag: those of justerat protocols given to the person the
visitor's account is, each with where it stands and a small form to say how it goes
(meetings/actions/followup.record, as the secretary's page does). Another's uppdrag
is not found here at all: who was given what is theirs and the secretary's."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.actions import followup
from meetings.forms import FollowUpForm
from members.models import account_names
from members.two_factor import private


def _form(row: dict, data=None) -> FollowUpForm:
    """The row's form, its ids its own: one page holds one per uppdrag."""
    return FollowUpForm.of(row["follow_up"], data, auto_id=f"id_uppdrag_{row['uppdrag'].pk}_%s")


@private
def mine(request: HttpRequest) -> HttpResponse:
    listed = followup.rows(followup.assigned_to(request.user), timezone.localdate())
    for row in listed:
        row["form"] = _form(row)
    return render(request, "meetings/member/uppdrag.html", {"rows": listed})


@private
def edit(request: HttpRequest, uppdrag: int) -> HttpResponse:
    found = followup.assigned_to(request.user).filter(pk=uppdrag).first()
    if found is None:
        raise Http404
    (row,) = followup.rows([found], timezone.localdate())
    form = _form(row, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.record(found, by=request.user):
        messages.success(request, _("The follow-up is saved."))
        return redirect(reverse("member:uppdrag") + f"#uppdrag-{found.pk}")
    current = row["follow_up"]
    history = (
        list(current.history.select_related("changed_by").order_by("-history_date")[:20])
        if current
        else []
    )
    # Who changed it (record's `by`, whatever the path), as the organisation names
    # them: the assignee, the secretary.
    names = account_names({h.changed_by for h in history}, row["meeting"].body.organisation)
    for h in history:
        h.by = names.get(h.changed_by_id, "")
    return render(
        request,
        "meetings/member/uppdrag_form.html",
        {"row": row, "form": form, "history": history},
        status=400 if request.method == "POST" else 200,
    )
