"""Files stored while a document is made are removed again if making it fails.

A sealed PDF is written to the storage before its row is saved, inside the
transaction that justerar (or corrects, or extracts). When anything after the
write fails (a full disk, a lost database connection), the transaction rolls back
but the storage does not: without this, the file would stay behind, belonging to
no row.
"""

import contextlib
import logging

from django.db.models.fields.files import FieldFile

log = logging.getLogger(__name__)


@contextlib.contextmanager
def removed_on_failure():
    """Yields `keep(field_file)`: each file kept is deleted if the block raises."""
    kept: list[FieldFile] = []
    try:
        yield kept.append
    except BaseException:
        for field in kept:
            try:
                field.delete(save=False)
            except Exception:  # the storage may be what failed; the original error matters
                log.exception("could not remove %s after a failure", field.name)
        raise
