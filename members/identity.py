"""Signing in with OpenID Connect: an organisation's own accounts (Microsoft Entra
ID …) or an e-legitimation (BankID, Freja eID+ through a broker, Sweden Connect's
OIDC profile), and the fresh e-legitimation a justering may ask for (step-up).

The authorization-code flow with PKCE, state and nonce (joserfc, Authlib's JOSE
library, checks the ID token): the
ID token's signature is checked against the provider's published keys, and its
issuer, audience, expiry, nonce and (for a step-up) authentication time and level
of assurance. A person is recognised by a verified claim, never by a name: the
personal identity number (kept only as a keyed hash, `personnummer_hash`) or, for
an organisation's own accounts, the verified e-mail address.

What happens after a sign-in is the caller's: the sign-in view logs the account in;
a justering (meetings/views/justering.py) records the approval with the evidence
(`evidence()`), so that this module never needs to know about protocols.
"""

import datetime
import hashlib
import re
import secrets
from base64 import urlsafe_b64encode
from dataclasses import dataclass
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from members.models import IdentityProvider, Person

PENDING = "identity_pending"  # the session's sign-ins under way, by state
VERIFIED = "identity_verified"  # the last one verified, for the page that asked
SIGNED_IN_WITH = "identity_signed_in_with"  # the provider an account signed in with
ID_TOKEN = "identity_id_token"  # its ID token, the hint when logging out there too
GO = "identity_go"  # the provider's address a form's answer sends the browser on to
FRESH = datetime.timedelta(minutes=5)  # a step-up's authentication, at most this old
TIMEOUT = 10  # seconds, for each request to a provider
ALGORITHMS = ["RS256", "PS256", "ES256"]


class SignInRefused(Exception):
    """A sign-in that is not accepted; the message says why, for the person."""


# -- The personal identity number, as a keyed hash only ---------------------------


def normalised_personnummer(value: str, *, today: datetime.date | None = None) -> str | None:
    """Twelve digits (YYYYMMDDNNNN) from "19800101-1234", "800101-1234" or
    "198001011234"; None when it is not one. A ten-digit number is of the last
    hundred years ("+" for older), as Skatteverket writes it."""
    value = value.strip().replace(" ", "")
    m = re.fullmatch(r"(\d{2})?(\d{6})([-+]?)(\d{4})", value)
    if m is None:
        return None
    century, date, sign, tail = m[1], m[2], m[3], m[4]
    if century is None:
        today = today or timezone.localdate()
        year = int(date[:2])
        century_year = today.year - today.year % 100
        full = (
            century_year + year if century_year + year <= today.year else century_year - 100 + year
        )
        if sign == "+":
            full -= 100
        century = str(full)[:2]
    try:
        datetime.date(int(century + date[:2]), int(date[2:4]), int(date[4:6]) % 60 or 1)
    except ValueError:  # (a samordningsnummer adds 60 to the day)
        return None
    return f"{century}{date}{tail}"


def personnummer_hash(value: str) -> str:
    """The keyed hash a person's number is kept as (HMAC-SHA256 with a key derived
    from SECRET_KEY): the same number gives the same hash on this installation only."""
    number = normalised_personnummer(value)
    if number is None:
        raise ValueError(_("That is not a personal identity number (ÅÅÅÅMMDD-NNNN)."))
    return salted_hmac("paragraf.personnummer", number, algorithm="sha256").hexdigest()


# -- Levels of assurance ---------------------------------------------------------


def level(acr: str | None) -> int | None:
    """The level an ACR URI names ("…/loa/1.0/loa3" → 3), else None."""
    m = re.search(r"loa-?(\d)\b", acr or "", re.IGNORECASE)
    return int(m[1]) if m else None


def reaches(acr: str | None, required: str) -> bool:
    """Whether the authentication's ACR is the level required or above it."""
    if not required:
        return True
    have, need = level(acr), level(required)
    if have is not None and need is not None:
        return have >= need
    return acr == required


# -- The provider's configuration ------------------------------------------------


def configuration(provider: IdentityProvider) -> dict:
    """The provider's discovery document (kept an hour); SignInRefused when it
    cannot be read or names another issuer."""
    key = "identity-discovery:" + hashlib.sha256(provider.issuer.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            response = requests.get(url, timeout=TIMEOUT)
            response.raise_for_status()
            found = response.json()
        except (requests.RequestException, ValueError) as e:
            raise SignInRefused(
                _("%(name)s cannot be reached just now; try again in a while.")
                % {"name": provider.name}
            ) from e
        if found.get("issuer", "").rstrip("/") != provider.issuer.rstrip("/"):
            raise SignInRefused(
                _("%(name)s is not configured right (its issuer differs); tell the administrator.")
                % {"name": provider.name}
            )
        cache.set(key, found, 3600)
    return found


def _keys(config: dict):
    try:
        response = requests.get(config["jwks_uri"], timeout=TIMEOUT)
        response.raise_for_status()
        return KeySet.import_key_set(response.json())
    except (requests.RequestException, ValueError, KeyError, JoseError) as e:
        raise SignInRefused(_("The provider's keys could not be read; try again.")) from e


def redirect_uri() -> str:
    return settings.SITE_URL + reverse("identity_callback")


# -- The flow --------------------------------------------------------------------


def begin(
    request, provider: IdentityProvider, *, purpose: str, then: str, step_up: dict | None = None
) -> str:
    """The provider's authorization URL for this session (state, nonce and the PKCE
    verifier kept in the session). A step-up (`step_up`: what it is for, returned
    as it was) asks for a new authentication now at the provider's required level."""
    config = configuration(provider)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    challenge = urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    pending = dict(request.session.get(PENDING, {}))
    if len(pending) >= 5:  # a few tabs at most; the oldest goes
        pending.pop(next(iter(pending)))
    pending[state] = {
        "provider": provider.pk,
        "nonce": nonce,
        "verifier": verifier,
        "purpose": purpose,
        "then": then,
        "step_up": step_up,
        "at": timezone.now().timestamp(),
    }
    request.session[PENDING] = pending
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(),
        "scope": provider.scopes,
        "state": state,
        "nonce": nonce,
        "code_challenge": challenge.decode(),
        "code_challenge_method": "S256",
    }
    if provider.acr:
        params["acr_values"] = provider.acr
    if step_up is not None:
        params["prompt"] = "login"
        params["max_age"] = "0"
    return config["authorization_endpoint"] + "?" + urlencode(params)


@dataclass
class Verified:
    provider: IdentityProvider
    claims: dict
    id_token: str
    purpose: str
    then: str
    step_up: dict | None


def complete(request) -> Verified:
    """The sign-in the provider sent back here, verified; SignInRefused otherwise.
    A state is used once: a replay, or one of another session, is refused."""
    state = request.GET.get("state", "")
    pending = dict(request.session.get(PENDING, {}))
    started = pending.pop(state, None)
    request.session[PENDING] = pending
    if started is None:
        raise SignInRefused(
            _("This sign-in is not one this browser began, or it was used already.")
        )
    if timezone.now().timestamp() - started["at"] > 600:
        raise SignInRefused(_("The sign-in took too long; begin again."))
    provider = IdentityProvider.objects.filter(pk=started["provider"], active=True).first()
    if provider is None:
        raise SignInRefused(_("That way of signing in is no longer in use."))
    if request.GET.get("error"):
        raise SignInRefused(
            _("%(name)s did not sign you in (%(error)s).")
            % {"name": provider.name, "error": request.GET["error"]}
        )
    config = configuration(provider)
    try:
        response = requests.post(
            config["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": request.GET.get("code", ""),
                "redirect_uri": redirect_uri(),
                "code_verifier": started["verifier"],
            },
            auth=(provider.client_id, provider.client_secret),
            timeout=TIMEOUT,
        )
        tokens = response.json()
    except (requests.RequestException, ValueError) as e:
        raise SignInRefused(
            _("%(name)s could not be reached; try again.") % {"name": provider.name}
        ) from e
    if response.status_code != 200 or "id_token" not in tokens:
        raise SignInRefused(
            _("%(name)s did not confirm the sign-in (%(error)s).")
            % {"name": provider.name, "error": tokens.get("error", response.status_code)}
        )
    claims = _verified_claims(provider, config, tokens["id_token"], started)
    return Verified(
        provider=provider,
        claims=claims,
        id_token=tokens["id_token"],
        purpose=started["purpose"],
        then=started["then"],
        step_up=started["step_up"],
    )


def _verified_claims(
    provider: IdentityProvider, config: dict, id_token: str, started: dict
) -> dict:
    try:
        token = jwt.decode(id_token, _keys(config), algorithms=ALGORITHMS)
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": config["issuer"]},
            aud={"essential": True, "value": provider.client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": started["nonce"]},
        ).validate(token.claims)
    except (JoseError, ValueError) as e:
        raise SignInRefused(
            _("The sign-in's proof from %(name)s did not hold (%(error)s); nothing was recorded.")
            % {"name": provider.name, "error": getattr(e, "error", "") or e}
        ) from e
    claims = token.claims
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != provider.client_id:
        raise SignInRefused(
            _("The sign-in's proof was meant for another service; nothing was recorded.")
        )
    claims = dict(claims)  # (its nonce was checked with the rest, above)
    if not reaches(claims.get("acr"), provider.acr):
        raise SignInRefused(
            _(
                "%(name)s signed you in at a lower level of assurance than this asks for "
                "(%(have)s, not %(need)s); nothing was recorded."
            )
            % {"name": provider.name, "have": claims.get("acr") or "–", "need": provider.acr}
        )
    if started["step_up"] is not None:
        at = claims.get("auth_time")
        if (
            not isinstance(at, int | float)
            or timezone.now().timestamp() - at > FRESH.total_seconds()
        ):
            raise SignInRefused(_("The e-legitimation was not made just now; sign with it again."))
    return claims


def person_for(provider: IdentityProvider, claims: dict) -> Person | None:
    """The organisation's person the verified claims name (by the personal identity
    number's keyed hash, or a verified e-mail address), else None."""
    said = claims.get(provider.claim)
    if not isinstance(said, str) or not said:
        return None
    people = Person.objects.filter(organisation=provider.organisation).select_related("user")
    if provider.match_by == IdentityProvider.MatchBy.PERSONNUMMER:
        try:
            return people.filter(personnummer_hash=personnummer_hash(said)).first()
        except ValueError:
            return None
    if claims.get("email_verified") is False:
        return None
    return (
        people.filter(email__iexact=said).first() or people.filter(user__email__iexact=said).first()
    )


def evidence(verified: Verified) -> dict:
    """What proves an approval made with an e-legitimation, as the approval keeps it:
    the provider, the issuer, the level of assurance, when the person authenticated,
    and the signed ID token itself."""
    at = float(verified.claims.get("auth_time") or verified.claims["iat"])
    return {
        "method": "e-legitimation",
        "provider": verified.provider.name,
        "issuer": verified.claims["iss"],
        "acr": verified.claims.get("acr") or "",
        "level": level(verified.claims.get("acr")),
        "authenticated_at": datetime.datetime.fromtimestamp(at, datetime.UTC).isoformat(),
        "id_token": verified.id_token,
    }


def for_justering(organisation) -> IdentityProvider | None:
    """The e-legitimation an organisation's justering asks for, if it asks for one."""
    return IdentityProvider.objects.filter(
        organisation=organisation,
        purpose=IdentityProvider.Purpose.E_LEGITIMATION,
        required_for_justering=True,
        active=True,
    ).first()


def described(evidence: dict) -> str:
    """ "Freja eID+, tillitsnivå 3, 2026-12-03 14.02": how an approval was signed."""
    when = timezone.localtime(datetime.datetime.fromisoformat(evidence["authenticated_at"]))
    values = {
        "provider": evidence["provider"],
        "level": evidence.get("level"),
        "when": f"{when:%Y-%m-%d %H.%M}",
    }
    if values["level"]:
        return _("%(provider)s, level of assurance %(level)s, %(when)s") % values
    return _("%(provider)s, %(when)s") % values


def take_verified(request, what: dict) -> Verified | None:
    """The step-up this session just made for `what` (the `step_up` it began with),
    once and within minutes; None if there is none for it."""
    kept = request.session.pop(VERIFIED, None)
    if not kept or kept.get("step_up") != what:
        return None
    if timezone.now().timestamp() - kept["at"] > FRESH.total_seconds():
        return None
    provider = IdentityProvider.objects.filter(pk=kept["provider"], active=True).first()
    if provider is None:
        return None
    return Verified(
        provider=provider,
        claims=kept["claims"],
        id_token=kept["id_token"],
        purpose="step-up",
        then="",
        step_up=kept["step_up"],
    )


def end_session_url(request) -> str | None:
    """Where to log out at the provider this session signed in with (RP-initiated
    logout: its end_session_endpoint, with the ID token as the hint and the site as
    the address to come back to); None when there is nothing to end there."""
    pk = request.session.get(SIGNED_IN_WITH)
    provider = IdentityProvider.objects.filter(pk=pk, active=True).first() if pk else None
    if provider is None:
        return None
    try:
        endpoint = configuration(provider).get("end_session_endpoint")
    except SignInRefused:
        return None
    if not endpoint:
        return None
    params = {"client_id": provider.client_id, "post_logout_redirect_uri": settings.SITE_URL + "/"}
    if request.session.get(ID_TOKEN):
        params["id_token_hint"] = request.session[ID_TOKEN]
    return endpoint + "?" + urlencode(params)
