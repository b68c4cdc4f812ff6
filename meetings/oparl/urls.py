"""The OParl API's addresses: each object's id is one of these, on SITE_URL, built
from database keys that never change (meetings/oparl/addresses.py)."""

from django.urls import path, re_path

from meetings.oparl import views

app_name = "oparl"

urlpatterns = [
    path("system", views.system, name="system"),
    path("body", views.bodies, name="bodies"),
    path("body/<int:pk>", views.body, name="body"),
    path("body/<int:pk>/organization", views.body_organizations, name="body_organizations"),
    path("body/<int:pk>/person", views.body_people, name="body_people"),
    path("body/<int:pk>/meeting", views.body_meetings, name="body_meetings"),
    path("body/<int:pk>/paper", views.body_papers, name="body_papers"),
    path("body/<int:pk>/membership", views.body_memberships, name="body_memberships"),
    path("body/<int:pk>/location", views.body_locations, name="body_locations"),
    path(
        "body/<int:pk>/legislativeTerm", views.body_legislative_terms, name="body_legislative_terms"
    ),
    path("legislativeTerm/<int:pk>/<int:year>", views.legislative_term, name="legislative_term"),
    path("organization/<int:pk>", views.organization, name="organization"),
    path(
        "organization/<int:pk>/meeting", views.organization_meetings, name="organization_meetings"
    ),
    path("party/<int:pk>", views.party, name="party"),
    path("person/<int:pk>", views.person, name="person"),
    path("membership/<int:pk>", views.membership, name="membership"),
    path("meeting/<int:pk>", views.meeting, name="meeting"),
    path("agendaItem/<int:pk>", views.agenda_item, name="agenda_item"),
    path("location/<int:pk>", views.location, name="location"),
    path("file/protocol/<int:meeting>", views.file_protocol, name="file_protocol"),
    path("file/bilaga/<int:meeting>/<int:number>", views.file_bilaga, name="file_bilaga"),
    path("file/handling/<int:pk>", views.file_handling, name="file_handling"),
    # Anything else under the API is a JSON 404 (with CORS), not the site's HTML page.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
