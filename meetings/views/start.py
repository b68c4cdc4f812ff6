"""The start page after logging in: "Att göra", what this person has to do."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import todo
from members.models import StaffRole
from members.permissions import workspace_organisations
from members.two_factor import private


@private
def start(request: HttpRequest) -> HttpResponse:
    staff = workspace_organisations(request.user).exists()
    response = render(
        request,
        "meetings/start.html",
        {
            "todo": todo.for_user(request.user, staff=staff),
            "staff": staff,
            "administered": StaffRole.objects.filter(
                user=request.user, role=StaffRole.Role.ADMINISTRATOR
            ).select_related("organisation"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
