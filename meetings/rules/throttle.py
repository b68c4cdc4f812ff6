"""A per-client limit on something costly that anyone may do (checking a PDF at
/verifiera/ takes seconds of processor time): at most `limit` uses per window of
`seconds` for one key (the action and the client's address, members/client_ip.py).
Counted in the database (Throttle), so that workers and app servers share the count."""

import datetime
import math

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.models import Throttle


def use(key: str, *, limit: int, seconds: int) -> int:
    """Counts one use of `key`: 0 when it is allowed, else the seconds until the
    window ends and the next use is (a refused use does not count)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            row, _created = Throttle.objects.select_for_update().get_or_create(
                key=key, defaults={"until": now + datetime.timedelta(seconds=seconds)}
            )
            if row.until <= now:  # a new window
                row.uses, row.until = 0, now + datetime.timedelta(seconds=seconds)
            if row.uses >= limit:
                return max(1, math.ceil((row.until - now).total_seconds()))
            row.uses += 1
            row.save(update_fields=["uses", "until"])
    except IntegrityError:  # another worker made the row a moment earlier: count again
        return use(key, limit=limit, seconds=seconds)
    return 0


def forget_expired() -> int:
    """Deletes the windows that have ended (the daily job)."""
    return Throttle.objects.filter(until__lte=timezone.now()).delete()[0]
