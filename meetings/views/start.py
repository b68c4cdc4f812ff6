"""The start page after logging in: "Att göra", what this person has to do."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meetings import todo
from members.permissions import administered_organisations, workspace_organisations
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
            "administered": administered_organisations(request.user).order_by("name"),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
