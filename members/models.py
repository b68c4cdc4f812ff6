"""Organisations, their bodies, the people in them, and who may act for whom.

A samordningsförbund is one Organisation. Its bodies (styrelse, arbetsutskott …) hold
meetings; people sit in a body through a Membership for a term, representing one of
the organisation's member parties. Login accounts are linked to a Person and carry
staff roles per organisation.
"""

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Timestamped(models.Model):
    """Created and modified times on every row: the open-data API will sync by them."""

    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


# A name is one line: it goes into e-mail subjects, PDF headers and calendar entries.
one_line_validator = RegexValidator(
    r"^[^\x00-\x1f\x7f]*$",
    _("Write the name on one line, without line breaks or control characters."),
)

# Asked before a person's row changes: a receiver answers True to refuse a change of
# the name (meetings/rules/frozen.py answers for the justerat protocols that name them).
renaming_asked = Signal()


# Masking ([[ ]], meetings/rules/masking.py) is undone where the public version is made.
# A field that other paths show as written (the kallelse, the calendar, the open
# data's people) cannot hold it, so it is refused there with a clear word.
no_masks_validator = RegexValidator(
    r"\[\[",
    _(
        "Masking with [[ ]] is not possible here: this is shown as written (in the "
        "kallelse, calendars and the open data). Leave out what must not be public."
    ),
    inverse_match=True,
)

organisation_number_validator = RegexValidator(
    r"^\d{6}-\d{4}$", _("Enter an organisation number as NNNNNN-NNNN, e.g. 222000-1234.")
)


# The public archive's addresses begin with the organisation's slug; these are the
# site's own first path segments and cannot be an organisation's.
RESERVED_SLUGS = frozenset(
    {"admin", "arbete", "justera", "ledamot", "verifiera", "logga-in", "logga-ut", "konto", "static",
     "media", "sok", "flode", "sitemap.xml", "robots.txt", "oparl", "sprak", "tillganglighet", "halsa", "metrics"}
)  # fmt: skip


def validate_not_reserved(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value in RESERVED_SLUGS:
        raise ValidationError(_("%(slug)s is one of the site's own addresses.") % {"slug": value})


# Within an organisation's address, a body's slug comes first: these words are the
# organisation's own public pages at that place (meetings/urls_public.py), and a body
# named so would never be reached. tests/members/test_models.py reads the patterns.
RESERVED_BODY_SLUGS = frozenset({"anslagstavla", "tillganglighet", "arenden"})


def validate_body_slug(value: str) -> None:
    from django.core.exceptions import ValidationError

    if value in RESERVED_BODY_SLUGS:
        raise ValidationError(
            _("%(slug)s is the address of one of the organisation's own pages: choose another.")
            % {"slug": value},
            code="reserved",
        )


class Organisation(Timestamped):
    name = models.CharField(_("name"), max_length=200, validators=[one_line_validator])
    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, validators=[validate_not_reserved]
    )
    organisation_number = models.CharField(
        _("organisation number"),
        max_length=11,
        unique=True,
        validators=[organisation_number_validator],
    )
    website = models.URLField(_("website"), blank=True)
    # Where the public reaches the förbund: every public page's footer and its
    # accessibility statement (tillgänglighetsredogörelse) say it.
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[one_line_validator])
    # The förbundsordning's rule for deputies: in a samordningsförbund each member
    # party appoints its members and deputies, and a deputy serves for a member of
    # the same party (meetings/rules/attendance_rules.py).
    deputy_same_party = models.BooleanField(
        _("a deputy serves for a member of the same party"), default=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Party(Timestamped):
    """A member party of the förbund: Försäkringskassan, Arbetsförmedlingen, a region, a kommun."""

    class Kind(models.TextChoices):
        FORSAKRINGSKASSAN = "forsakringskassan", _("Försäkringskassan")
        ARBETSFORMEDLINGEN = "arbetsformedlingen", _("Arbetsförmedlingen")
        REGION = "region", _("region")
        KOMMUN = "kommun", _("municipality")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[one_line_validator])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("member party")
        verbose_name_plural = _("member parties")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="party_unique_name"),
        ]

    def __str__(self):
        return self.name


class Body(Timestamped):
    """An organ of the organisation that meets: styrelse, arbetsutskott, beredningsgrupp …"""

    class Kind(models.TextChoices):
        STYRELSE = "styrelse", _("board (styrelse)")
        ARBETSUTSKOTT = "arbetsutskott", _("working committee (arbetsutskott)")
        BEREDNINGSGRUPP = "beredningsgrupp", _("preparatory group (beredningsgrupp)")
        AGARSAMRAD = "agarsamrad", _("owners' consultation (ägarsamråd)")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="bodies",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[one_line_validator])
    slug = models.SlugField(_("slug"), max_length=80, validators=[validate_body_slug])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    prepares_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prepared_by",
        verbose_name=_("prepares matters for"),
        help_text=_("E.g. the arbetsutskott prepares matters for the styrelse."),
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="body_unique_slug"),
            models.CheckConstraint(
                condition=~Q(prepares_for=models.F("pk")), name="body_not_preparing_itself"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def save(self, *args, **kwargs):
        # Also for what does not run full_clean (an import, the demo, a script):
        # a body at a reserved address could never be read by the public.
        validate_body_slug(self.slug)
        super().save(*args, **kwargs)

    def clean(self):
        from django.core.exceptions import ValidationError

        prepares_for = self.prepares_for if self.prepares_for_id else None
        if prepares_for is not None and prepares_for.organisation_id != self.organisation_id:
            raise ValidationError(
                {
                    "prepares_for": _(
                        "A body can only prepare matters for a body of its own organisation."
                    )
                }
            )


class Person(Timestamped):
    """A person who sits in a body or attends its meetings, within one organisation.

    People are kept per organisation: each förbund sees and maintains only its own.
    """

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="people",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"), max_length=200, validators=[one_line_validator, no_masks_validator]
    )
    title = models.CharField(
        pgettext_lazy("a person's", "title"),
        max_length=200,
        blank=True,
        validators=[no_masks_validator],
        help_text=_("E.g. Förbundschef, for staff."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("login account"),
    )
    # The personal identity number, kept only as a keyed hash (members/identity.py):
    # an e-legitimation's claim is matched to it, and it is never shown.
    personnummer_hash = models.CharField(
        _("personal identity number (keyed hash)"),
        max_length=64,
        blank=True,
        db_index=True,
        editable=False,
    )

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            # One account is one person within an organisation.
            models.UniqueConstraint(
                fields=["organisation", "user"], name="person_one_per_user_and_organisation"
            ),
        ]

    def __str__(self):
        return self.name

    RENAMING_REFUSED = _(
        "A justerat protocol names this person so: the name can no longer be changed "
        "(a protocol is corrected by a rättelse)."
    )

    def save(self, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if self.renaming_refused():
            raise PermissionDenied(self.RENAMING_REFUSED)
        super().save(*args, **kwargs)

    def renaming_refused(self) -> bool:
        """Whether this save would change the name of someone a justerat protocol
        names (its live rows still render the name). The protocols are the meetings
        app's, which builds on this one: it answers `renaming_asked`
        (meetings/rules/frozen.py), so that members never imports meetings."""
        if self._state.adding or self.pk is None:
            return False
        return any(refused for _receiver, refused in renaming_asked.send(Person, person=self))

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.renaming_refused():
            raise ValidationError({"name": self.RENAMING_REFUSED})


def account_names(users, organisation) -> dict[int, str]:
    """How each account is named to the people of an organisation: the name of its
    person there, else the account's full name, else its user name (one query)."""
    users = [u for u in users if u is not None]
    named = dict(
        Person.objects.filter(organisation=organisation, user__in=users).values_list(
            "user_id", "name"
        )
    )
    return {u.pk: named.get(u.pk) or u.get_full_name() or u.get_username() for u in users}


class MembershipQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        """Memberships whose term includes `day` (the end date is the last day served)."""
        return self.filter(Q(start__lte=day), Q(end__isnull=True) | Q(end__gte=day))


class Membership(Timestamped):
    """A person's seat in a body for a term (mandatperiod), representing a party."""

    class Role(models.TextChoices):
        ORDFORANDE = "ordforande", _("chair (ordförande)")
        VICE_ORDFORANDE = "vice_ordforande", _("vice chair (vice ordförande)")
        LEDAMOT = "ledamot", _("member (ledamot)")
        ERSATTARE = "ersattare", _("deputy (ersättare)")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("represents"),
    )
    start = models.DateField(_("term starts"))
    end = models.DateField(_("term ends"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["body", "role", "person__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "body", "start"], name="membership_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}, {self.body.name}"

    @property
    def is_voting(self) -> bool:
        return self.role != self.Role.ERSATTARE

    def _overlapping(self, **match):
        """Other memberships matching `match` whose term overlaps this one's."""
        others = Membership.objects.filter(**match).exclude(pk=self.pk)
        others = others.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        return others.filter(start__lte=self.end) if self.end else others

    def clean(self):
        from django.core.exceptions import ValidationError

        errors: dict[str, StrOrPromise] = {}
        if self.body_id and self.person_id:
            if self.person.organisation_id != self.body.organisation_id:
                errors["person"] = _("The person belongs to another organisation.")
            party = self.party if self.party_id else None
            if party is not None and party.organisation_id != self.body.organisation_id:
                errors["party"] = _("The party is not a member of this organisation.")
            if self.start:
                overlapping = self._overlapping(person=self.person, body=self.body)
                if overlapping.exists():
                    errors["start"] = _(
                        "The person already has a seat in this body for this period."
                    )
                if self.role == self.Role.ORDFORANDE:
                    # One ordförande at a time: the kallelse and the protocol name them.
                    chairs = self._overlapping(body=self.body, role=self.Role.ORDFORANDE)
                    other = chairs.select_related("person").first()
                    if other is not None:
                        errors["role"] = _(
                            "%(name)s is already ordförande of this body for part of this "
                            "period: end that term first."
                        ) % {"name": other.person.name}
        if errors:
            raise ValidationError(errors)


class StaffRole(Timestamped):
    """What a login account may do for an organisation as its staff."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("administrator")
        SEKRETERARE = "sekreterare", _("secretary (sekreterare)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("login account"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="staff_role_unique"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    # An administrator made this account staff: it sets up its authenticator app at
    # its next login, unless it has one (members/two_factor.py, on post_save).


class PasswordResetRequest(Timestamped):
    """A request for a new password, kept for a day to limit how often one address
    or one client may ask (members/password_reset.py). The address is kept only as
    its hash."""

    address_hash = models.CharField(max_length=64, db_index=True)
    client_ip = models.CharField(max_length=45, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["created"], name="password_reset_created")]

    def __str__(self):
        return f"{self.client_ip} {self.created:%Y-%m-%d %H:%M}"


class IdentityProvider(Timestamped):
    """An OpenID provider an organisation signs its people in with: its staff's
    own accounts (Microsoft Entra ID …), or an e-legitimation (BankID, Freja eID+
    through a broker) that a justering may ask for (members/identity.py)."""

    class Purpose(models.TextChoices):
        SIGN_IN = "inloggning", _("staff sign-in with the organisation's accounts")
        E_LEGITIMATION = "e-legitimation", _("e-legitimation (BankID, Freja eID+ …)")

    class MatchBy(models.TextChoices):
        PERSONNUMMER = "personnummer", _("personal identity number")
        EMAIL = "e-post", _("verified e-mail address")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="identity_providers",
        verbose_name=_("organisation"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    name = models.CharField(
        _("name shown"),
        max_length=100,
        validators=[one_line_validator],
        help_text=_("As people know it: “Freja eID+”, “BankID”, “Norrälvs konto”."),
    )
    issuer = models.URLField(
        _("issuer"),
        help_text=_("The provider's issuer URL; its /.well-known/openid-configuration is read."),
    )
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret = models.CharField(_("client secret"), max_length=500)
    scopes = models.CharField(
        _("scopes"),
        max_length=300,
        default="openid profile",
        help_text=_("Separated by spaces; “openid” first."),
    )
    acr = models.CharField(
        _("level of assurance required (ACR)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. http://id.elegnamnden.se/loa/1.0/loa3; empty: none asked for."),
    )
    match_by = models.CharField(
        _("a person is recognised by"), max_length=20, choices=MatchBy.choices
    )
    claim = models.CharField(
        _("claim"),
        max_length=200,
        default="https://id.oidc.se/claim/personalIdentityNumber",
        help_text=_("The claim that carries the personal identity number or the e-mail address."),
    )
    required_for_justering = models.BooleanField(
        _("justering asks for it"),
        default=False,
        help_text=_(
            "Each approval of a protocol or a rättelse is confirmed with a fresh "
            "e-legitimation just before it is recorded."
        ),
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["organisation", "purpose"]
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "purpose"], name="identity_provider_one_per_purpose"
            ),
            models.CheckConstraint(
                condition=Q(required_for_justering=False) | Q(purpose="e-legitimation"),
                name="identity_provider_justering_by_e_legitimation",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"
