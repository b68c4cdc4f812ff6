"""Login accounts for the people of an organisation: made on invitation (or when a
justerare without one is sent a protocol), with a link to choose a password."""

from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.models import Person
from minutes_site.links import absolute
from minutes_site.outbox import sending


def account_for(person: Person) -> tuple[User, bool]:
    """The person's login account, created (without a usable password) if missing.
    Returns it and whether it was created."""
    existing = person.user if person.user_id else None
    if existing is not None:
        return existing, False
    base = slugify(person.email.split("@")[0] if person.email else person.name) or "konto"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}{n}"
    user = User(username=username, email=person.email, first_name=person.name)
    user.set_unusable_password()
    user.save()
    person.user = user
    person.save(update_fields=["user", "modified"])
    return user, True


def set_password_link(user: User) -> str:
    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("password_reset_confirm", args=[uid, token]))


class InvitationError(Exception):
    pass


@transaction.atomic
def invite(person: Person) -> User:
    """Invite `person` to Paragraf by e-mail.

    Changes: creates their account if they have none; sends them their user name
    and a link to choose a password (valid as long as Django's reset links are).
    """
    if not person.email:
        raise InvitationError(_("%(name)s has no e-mail address.") % {"name": person.name})
    user, _created = account_for(person)
    body = _(
        "You are invited to Paragraf, the protocols of %(organisation)s. Your user "
        "name is %(username)s; choose your password here:\n\n%(link)s\n\n"
        "Secretaries and administrators also sign in with a six-digit code from an "
        "authenticator app on their phone (for example Microsoft Authenticator, Google "
        "Authenticator or FreeOTP): if you are given such a role, have one installed; "
        "Paragraf shows you how to connect it the first time.\n"
    ) % {
        "organisation": person.organisation.name,
        "username": user.username,
        "link": set_password_link(user),
    }
    sending.post(
        [EmailMessage(_("Invitation to Paragraf"), body, to=[person.email])],
        about=person,
        kind="invitation",
        secret=True,
    )
    return user
