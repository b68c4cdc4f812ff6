"""The public archive's stable addresses (DOMAIN: browse by organisation, body, year)."""

from django.urls import path, re_path

from meetings.public import feeds
from meetings.views import public

app_name = "public"

DAY = r"(?P<day>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:-(?P<suffix>[0-9]+))?"
BASE = r"^(?P<org>[-a-z0-9]+)/(?P<body>[-a-z0-9]+)/" + DAY

urlpatterns = [
    path("<slug:org>/", public.organisation, name="organisation"),
    path("<slug:org>/flode.atom", feeds.ProtocolFeed(), name="feed"),
    path("<slug:org>/<slug:body>/flode.atom", feeds.ProtocolFeed(), name="body_feed"),
    path("<slug:org>/<slug:body>/sammantraden.ics", feeds.calendar, name="calendar"),
    path("<slug:org>/anslagstavla/", public.anslagstavla, name="anslagstavla"),
    path("<slug:org>/tillganglighet/", public.accessibility_statement, name="accessibility"),
    path("<slug:org>/arenden/", public.matter_list, name="matters"),
    path("<slug:org>/arenden/<int:pk>/", public.matter, name="matter"),
    path("<slug:org>/<slug:body>/", public.body, name="body"),
    re_path(
        r"^(?P<org>[-a-z0-9]+)/(?P<body>[-a-z0-9]+)/(?P<year>[0-9]{4})/$", public.year, name="year"
    ),
    re_path(BASE + r"/$", public.protocol, name="protocol"),
    re_path(BASE + r"/protokoll\.pdf$", public.protocol_pdf, name="protocol_pdf"),
    re_path(BASE + r"/p(?P<number>[0-9]+)/$", public.paragraph, name="paragraph"),
    re_path(BASE + r"/bilaga-(?P<number>[0-9]+)/$", public.bilaga, name="bilaga"),
    re_path(BASE + r"/handling-(?P<handling_id>[0-9]+)/$", public.handling, name="handling"),
    re_path(BASE + r"/p(?P<number>[0-9]+)/utdrag\.pdf$", public.paragraph_extract, name="extract"),
    re_path(
        BASE + r"/rattelse-(?P<rattelse_id>[0-9]+)\.pdf$", public.rattelse_pdf, name="rattelse_pdf"
    ),
]
