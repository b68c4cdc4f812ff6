"""Subscriptions: Atom feeds of published protocols, an iCalendar of upcoming
meetings, and the sitemap. Only what the public site shows goes into them."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import http_date
from django.utils.translation import gettext as _

from meetings.actions.publication import published
from meetings.documents import calendar as ical
from meetings.documents import public_version
from meetings.models import Meeting, SearchEntry
from members.models import Body, Organisation
from minutes_site.links import absolute

FEED_SIZE = 30


def _revalidated(request: HttpRequest, response: HttpResponse, changed) -> HttpResponse:
    """A subscription read by a feed reader every hour: public (compressed, kept by
    shared caches), with its last change as Last-Modified, so that If-Modified-Since
    costs a 304 and no body."""
    patch_cache_control(response, public=True, max_age=900)
    if changed is None or response.status_code != 200:
        return response
    response["Last-Modified"] = http_date(changed.timestamp())
    set_response_etag(response)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(changed.timestamp()),
        response=response,
    )


class ProtocolFeed(Feed):
    """The latest published protocols of an organisation, or of one of its bodies."""

    feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        items = self.items(self.get_object(request, *args, **kwargs))
        changed = max((self.item_updateddate(item) for item in items), default=None)
        return _revalidated(request, response, changed)

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
        # An approved rättelse updates its protocol's entry (a reader sees it changed).
        corrected = Max("rattelser__approved_at", filter=Q(rattelser__approved_at__isnull=False))
        return (
            scope.select_related("body__organisation")
            .annotate(corrected=corrected)
            .order_by("-publish_on", "-date")[:FEED_SIZE]
        )

    def author_name(self, obj):
        return obj[0].name

    def item_author_name(self, item):
        return item.body.organisation.name

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
        return max(item.justerat_at, item.corrected or item.justerat_at)


def calendar(request: HttpRequest, org: str, body: str) -> HttpResponse:
    """Upcoming meetings of a body as iCalendar: when, where, which body; no agenda."""
    the_body = get_object_or_404(
        Body.objects.select_related("organisation"), organisation__slug=org, slug=body
    )
    # The meetings whose kallelse is out (as the public pages and the open data show
    # them), each at the time and place its latest kallelse announced.
    upcoming = list(
        Meeting.objects.filter(
            body=the_body, date__gte=timezone.localdate() - datetime.timedelta(days=1)
        )
        .exclude(status=Meeting.Status.INSTALLT)
        .annotate(sent=Count("kallelser"), called_at=Max("kallelser__created"))
        .filter(sent__gt=0)
        .order_by("date", "start_time")[:100]
    )
    agendas = public_version.latest_agendas([m.pk for m in upcoming])
    # An event's DTSTAMP is when what it says last changed (its latest kallelse), not
    # the moment it was fetched: a calendar sees it unchanged until it is.
    ics = ical.calendar(
        # The sequence the last e-mailed invitation had (kallelse.send), so that a
        # calendar holding both sees one event.
        [
            ical.event(
                m,
                # Which förbund, in a calendar that holds several; the page has the agenda.
                summary=f"{the_body.name}, {the_body.organisation.name}",
                url=absolute(m.get_absolute_url()),
                sequence=max(m.sent - 1, 0),
                head=public_version.called_head(agendas.get(m.pk, {}), m),
                stamp=m.called_at,
            )
            for m in upcoming
        ],
        name=f"{the_body.name}, {the_body.organisation.name}",
    )
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    return _revalidated(request, response, max((m.called_at for m in upcoming), default=None))


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
    """Each organisation's page and its anslagstavla."""

    changefreq = "weekly"

    def items(self):
        return [
            (organisation, page)
            for organisation in Organisation.objects.order_by("name")
            for page in ("public:organisation", "public:anslagstavla")
        ]

    def location(self, item):
        organisation, page = item
        return reverse(page, args=[organisation.slug])


class ParagraphSitemap(OwnAddress, Sitemap):
    """Each paragraph page of the published protocols (with its protokollsutdrag),
    from the search entries: exactly the paragraphs of the public versions."""

    changefreq = "never"
    limit = 5000

    def items(self):
        return (
            SearchEntry.objects.filter(meeting__in=published())
            .select_related("meeting__body__organisation")
            .only(
                "number",
                "meeting__date",
                "meeting__day_suffix",
                "meeting__justerat_at",
                "meeting__body__slug",
                "meeting__body__organisation__slug",
            )
            .order_by("-date", "meeting_id", "number")
        )

    def location(self, item):
        return item.meeting.paragraph_url(item.number)

    def lastmod(self, item):
        return item.meeting.justerat_at


SITEMAPS = {
    "organisations": OrganisationSitemap,
    "protocols": ProtocolSitemap,
    "paragraphs": ParagraphSitemap,
}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """The sitemap index: every page of every section (a section holds at most 5,000
    addresses, so the archive's paragraphs take many), on SITE_URL whatever the Host
    (Django's own index would name the visitor's Host)."""
    locations = []
    for section, sitemap in SITEMAPS.items():
        first = absolute(reverse("sitemap_section", args=[section]))
        pages = sitemap().paginator.num_pages
        locations += [first] + [f"{first}?p={page}" for page in range(2, pages + 1)]
    xml = "".join(f"<sitemap><loc>{escape(url)}</loc></sitemap>" for url in locations)
    response = HttpResponse(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{xml}</sitemapindex>\n',
        content_type="application/xml; charset=utf-8",
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response
