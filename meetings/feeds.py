"""Subscriptions: Atom feeds of published protocols, an iCalendar of upcoming
meetings, and the sitemap. Only what the public site shows goes into them."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from meetings.models import Meeting
from meetings.publication import published
from members.models import Body, Organisation

FEED_SIZE = 30


class ProtocolFeed(Feed):
    """The latest published protocols of an organisation, or of one of its bodies."""

    feed_type = Atom1Feed

    def get_object(self, request, org, body=None):
        organisation = get_object_or_404(Organisation, slug=org)
        the_body = get_object_or_404(Body, organisation=organisation, slug=body) if body else None
        return organisation, the_body

    def title(self, obj):
        organisation, body = obj
        return f"{body.name}, {organisation.name}" if body else organisation.name

    def subtitle(self, obj):
        return _("Justerade protocols")

    def link(self, obj):
        organisation, body = obj
        if body:
            return reverse("public:body", args=[organisation.slug, body.slug])
        return reverse("public:organisation", args=[organisation.slug])

    def items(self, obj):
        organisation, body = obj
        scope = published().filter(body__organisation=organisation)
        if body:
            scope = scope.filter(body=body)
        return scope.select_related("body__organisation").order_by("-publish_on", "-date")[
            :FEED_SIZE
        ]

    def item_title(self, item):
        return f"{item.body.name} {item.date:%Y-%m-%d}"

    def item_description(self, item):
        return _("Protocol of the meeting of %(body)s on %(date)s, justerat %(justerat)s.") % {
            "body": item.body.name.lower(),
            "date": f"{item.date:%Y-%m-%d}",
            "justerat": f"{item.justerat_at:%Y-%m-%d}",
        }

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.justerat_at

    def item_updateddate(self, item):
        return item.justerat_at


def _ics_text(value: str) -> str:
    # RFC 5545 3.3.11: escape backslash, semicolon, comma and line breaks (any kind:
    # a bare CR would end the line in the middle of a property).
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def calendar(request: HttpRequest, org: str, body: str) -> HttpResponse:
    """Upcoming meetings of a body as iCalendar: when, where, which body; no agenda."""
    the_body = get_object_or_404(
        Body.objects.select_related("organisation"), organisation__slug=org, slug=body
    )
    upcoming = (
        Meeting.objects.filter(
            body=the_body, date__gte=timezone.localdate() - datetime.timedelta(days=1)
        )
        .exclude(status=Meeting.Status.INSTALLT)
        .order_by("date", "start_time")[:100]
    )
    host = request.get_host()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Paragraf//Sammanträden//SV",
        f"X-WR-CALNAME:{_ics_text(the_body.name + ', ' + the_body.organisation.name)}",
    ]
    for m in upcoming:
        start = datetime.datetime.combine(m.date, m.start_time)
        end = datetime.datetime.combine(m.date, m.end_time) if m.end_time else start
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/Stockholm:{start:%Y%m%dT%H%M%S}",
            f"DTEND;TZID=Europe/Stockholm:{end:%Y%m%dT%H%M%S}",
            f"SUMMARY:{_ics_text(the_body.name)}",
            f"LOCATION:{_ics_text(m.place)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")


class ProtocolSitemap(Sitemap):
    changefreq = "never"  # a justerat protocol never changes
    limit = 5000

    def items(self):
        return published().select_related("body__organisation").order_by("-date")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.justerat_at


class OrganisationSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.order_by("name")

    def location(self, item):
        return reverse("public:organisation", args=[item.slug])
