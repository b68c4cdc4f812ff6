"""Subscriptions: Atom feeds of published protocols, an iCalendar of upcoming
meetings, and the sitemap. Only what the public site shows goes into them."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from meetings import calendar as ical
from meetings.models import Meeting
from meetings.publication import published
from members.models import Body, Organisation
from minutes_site.links import absolute

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

    # Every address in a feed (and the entries' ids) on SITE_URL, never on the Host
    # the reader happened to use: an id must not change with the address.
    def link(self, obj):
        organisation, body = obj
        if body:
            return absolute(reverse("public:body", args=[organisation.slug, body.slug]))
        return absolute(reverse("public:organisation", args=[organisation.slug]))

    def feed_url(self, obj):
        organisation, body = obj
        if body:
            return absolute(reverse("public:body_feed", args=[organisation.slug, body.slug]))
        return absolute(reverse("public:feed", args=[organisation.slug]))

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
        return absolute(item.get_absolute_url())

    def item_pubdate(self, item):
        return item.justerat_at

    def item_updateddate(self, item):
        return item.justerat_at


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
        .annotate(sent=Count("kallelser"))
        .order_by("date", "start_time")[:100]
    )
    ics = ical.calendar(
        # The sequence the last e-mailed invitation had (kallelse.send), so that a
        # calendar holding both sees one event.
        [ical.event(m, summary=the_body.name, sequence=max(m.sent - 1, 0)) for m in upcoming],
        name=f"{the_body.name}, {the_body.organisation.name}",
    )
    return HttpResponse(ics, content_type="text/calendar; charset=utf-8")


class OwnAddress:
    """A sitemap on SITE_URL, not on the visitor's Host."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ProtocolSitemap(OwnAddress, Sitemap):
    changefreq = "never"  # a justerat protocol never changes
    limit = 5000

    def items(self):
        return published().select_related("body__organisation").order_by("-date")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.justerat_at


class OrganisationSitemap(OwnAddress, Sitemap):
    changefreq = "weekly"

    def items(self):
        return Organisation.objects.order_by("name")

    def location(self, item):
        return reverse("public:organisation", args=[item.slug])
