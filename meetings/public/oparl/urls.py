"""The OParl API's addresses: each object's id is one of these, on SITE_URL, built
from database keys that never change (meetings/public/oparl/addresses.py)."""

from django.urls import path, re_path, register_converter

from meetings.public.oparl import views


class Key:
    """A database key as written once: no sign, no leading zero (so that an object
    has one address, not /meeting/1 and /meeting/01)."""

    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(Key, "key")

app_name = "oparl"

urlpatterns = [
    path("v1/system", views.system, name="system"),
    path("v1/body", views.bodies, name="bodies"),
    path("v1/body/<key:pk>", views.body, name="body"),
    path("v1/body/<key:pk>/organization", views.body_organizations, name="body_organizations"),
    path("v1/body/<key:pk>/person", views.body_people, name="body_people"),
    path("v1/body/<key:pk>/meeting", views.body_meetings, name="body_meetings"),
    path("v1/body/<key:pk>/paper", views.body_papers, name="body_papers"),
    path("v1/body/<key:pk>/agendaItem", views.body_agenda_items, name="body_agenda_items"),
    path("v1/body/<key:pk>/file", views.body_files, name="body_files"),
    path("v1/body/<key:pk>/consultation", views.body_consultations, name="body_consultations"),
    path("v1/body/<key:pk>/membership", views.body_memberships, name="body_memberships"),
    path("v1/body/<key:pk>/location", views.body_locations, name="body_locations"),
    path(
        "v1/body/<key:pk>/legislativeTerm",
        views.body_legislative_terms,
        name="body_legislative_terms",
    ),
    path("v1/legislativeTerm/<key:pk>/<key:year>", views.legislative_term, name="legislative_term"),
    path("v1/organization/<key:pk>", views.organization, name="organization"),
    path(
        "v1/organization/<key:pk>/meeting",
        views.organization_meetings,
        name="organization_meetings",
    ),
    path("v1/party/<key:pk>", views.party, name="party"),
    path("v1/person/<key:pk>", views.person, name="person"),
    path("v1/membership/<key:pk>", views.membership, name="membership"),
    path("v1/meeting/<key:pk>", views.meeting, name="meeting"),
    path("v1/agendaItem/<key:pk>", views.agenda_item, name="agenda_item"),
    path("v1/paper/<key:pk>", views.paper, name="paper"),
    path("v1/consultation/<key:pk>", views.consultation, name="consultation"),
    path("v1/location/<key:pk>", views.location, name="location"),
    path("v1/file/protocol/<key:meeting>", views.file_protocol, name="file_protocol"),
    path("v1/file/bilaga/<key:meeting>/<key:number>", views.file_bilaga, name="file_bilaga"),
    path("v1/file/handling/<key:pk>", views.file_handling, name="file_handling"),
    # Anything else under /oparl/ is a JSON 404 (with CORS), not the site's HTML page.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
