"""Is this PDF an authentic justerat protocol of this installation, and which one?

Authentic means: the seal is intact and ours, nothing was added after it, and the
file's SHA-256 is that of a protocol we archived. A PDF changed by one byte fails.
"""

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from meetings import sealing
from meetings.models import ArchivedProtocol, Rattelse


@dataclass
class Verdict:
    authentic: bool
    message: str
    archive: ArchivedProtocol | None = None
    seal: sealing.SealCheck | None = None


def verify(pdf: bytes) -> Verdict:
    digest = hashlib.sha256(pdf).hexdigest()
    archive = (
        ArchivedProtocol.objects.select_related("meeting__body__organisation")
        .filter(sha256=digest)
        .first()
    )
    seal = sealing.check_seal(pdf)
    correction = (
        Rattelse.objects.select_related("meeting__body__organisation")
        .filter(sha256=digest, approved_at__isnull=False)
        .first()
    )
    if correction and seal.ok:
        m = correction.meeting
        return Verdict(
            True,
            _(
                "Authentic: a correction, dated %(approved)s, of the justerat protocol of "
                "%(body)s, %(organisation)s, of %(date)s, unchanged since it was sealed."
            )
            % {
                "approved": f"{correction.approved_at:%Y-%m-%d}",
                "body": m.body.name.lower(),
                "organisation": m.body.organisation.name,
                "date": f"{m.date:%Y-%m-%d}",
            },
            None,
            seal,
        )
    if archive and seal.ok:
        m = archive.meeting
        return Verdict(
            True,
            _(
                "Authentic: the justerat protocol of %(body)s, %(organisation)s, of "
                "%(date)s, unchanged since it was sealed."
            )
            % {
                "body": m.body.name.lower(),
                "organisation": m.body.organisation.name,
                "date": f"{m.date:%Y-%m-%d}",
            },
            archive,
            seal,
        )
    if seal.sealed and not seal.intact:
        reason = _("the content was changed after it was sealed")
    elif seal.sealed and not seal.whole_file:
        reason = _("something was added to the file after it was sealed")
    elif seal.sealed and not seal.trusted:
        reason = _("it is sealed, but not by this installation")
    elif not seal.sealed:
        reason = _("it carries no seal")
    else:
        reason = _("it is not a protocol archived here")
    return Verdict(False, _("Not authentic: %(reason)s.") % {"reason": reason}, archive, seal)
