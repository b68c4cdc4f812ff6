"""A consistent copy of an installation, and bringing it back.

`backup(folder)` writes, from one snapshot of the database (a read transaction:
repeatable read on PostgreSQL), the rows as Django's portable JSON (so a copy taken
on PostgreSQL restores on SQLite and back), every stored file the rows name, and a
manifest with the SHA-256 and size of each. `restore(folder)` checks the manifest,
refuses an installation that holds anything, loads the rows, puts the files back in
the storage under their names, rebuilds what is derived (the search entries), and
then verifies every sealed document: its SHA-256 as recorded and its seal valid.

Left out, and why: sessions, the page cache, the throttles and the login lockouts
(they are rebuilt or expire), the task queue (a mail still waiting is queued again by
the workers' sweep) and the seal certificate and key (secrets: the operator keeps
them apart, and the installation that restores needs the same ones, or the sealed
documents will not verify against its own certificate).
"""

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "paragraf-backup/1"
ROWS = "database.json.gz"
FILES = "files"
MANIFEST = "manifest.json"
# Apps and models left out of the copy (see above).
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "django_tasks_database",
    "meetings.searchentry",
    "meetings.cachedpage",
    "meetings.throttle",
]


class BackupError(Exception):
    pass


@dataclass
class Restored:
    rows: int = 0
    files: int = 0
    documents: int = 0  # sealed documents verified: SHA-256 and seal
    imported: int = 0  # imported files verified: SHA-256
    failures: list[str] = field(default_factory=list)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _stored_names() -> list[str]:
    """Every file a row names, from every FileField of every model."""
    names: set[str] = set()
    for model in apps.get_models():
        for f in model._meta.get_fields():
            if isinstance(f, models.FileField) and not f.many_to_many:
                names.update(
                    n for n in model._default_manager.values_list(f.attname, flat=True) if n
                )
    return sorted(names)


def backup(folder: Path) -> dict:
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    (folder / FILES).mkdir(parents=True, exist_ok=True)
    # Within a transaction already (a test's), its snapshot is the one there is.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for the rows and the names of the files: what a row names
            # was stored before the row was committed, and stored files never change.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        rows_path = folder / ROWS
        with gzip.open(rows_path, "wt", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                natural_foreign=True,
                natural_primary=True,
                exclude=EXCLUDED,
                stdout=out,
                verbosity=0,
            )
        files = []
        for name in _stored_names():
            with default_storage.open(name, "rb") as f:
                data = f.read()
            target = folder / FILES / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            files.append({"name": name, "sha256": _sha256(data), "size": len(data)})
        migrations = sorted(
            {
                (m.app, m.name)
                for m in MigrationRecorder.Migration.objects.all()
                if not m.app.startswith("django_")
            }
        )
    manifest = {
        "format": FORMAT,
        "created": timezone.now().isoformat(),
        "database_vendor": connection.vendor,
        "rows": {"file": ROWS, "sha256": _sha256(rows_path.read_bytes())},
        "files": files,
        "migrations": [f"{app}.{name}" for app, name in migrations],
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return manifest


def check(folder: Path) -> dict:
    """The manifest, once every file in it is there with its SHA-256."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as e:
        raise BackupError(f"no readable manifest in {folder}: {e}") from e
    if manifest.get("format") != FORMAT:
        raise BackupError(f"not a backup of this kind: {manifest.get('format')!r}")
    wanted = [(manifest["rows"]["file"], manifest["rows"]["sha256"])] + [
        (f"{FILES}/{f['name']}", f["sha256"]) for f in manifest["files"]
    ]
    for name, sha256 in wanted:
        path = folder / name
        if not path.is_file() or _sha256(path.read_bytes()) != sha256:
            raise BackupError(f"{name} is missing or not as the manifest records it")
    return manifest


def _holds_anything() -> bool:
    from meetings.models import Meeting
    from members.models import Organisation

    return Organisation.objects.exists() or Meeting.objects.exists()


def restore(folder: Path) -> Restored:
    folder = Path(folder)
    manifest = check(folder)
    if _holds_anything():
        raise BackupError("this installation holds data: restore into an empty one")
    for f in manifest["files"]:
        if default_storage.exists(f["name"]):
            raise BackupError(f"the storage holds {f['name']} already: restore into an empty one")
    result = Restored()
    with transaction.atomic():
        tables = _frozen_tables()
        with connection.cursor() as cursor:
            # The archive's triggers refuse rows of a justerat protocol written after it
            # (meetings/rules/frozen.py); a restore writes them as they were. The
            # tables' owner (who runs migrate) may, within this transaction only.
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        call_command("loaddata", str(folder / ROWS), verbosity=0)
        with gzip.open(folder / ROWS, "rt", encoding="utf-8") as rows:
            result.rows = len(json.load(rows))
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
        for f in manifest["files"]:
            stored = default_storage.save(
                f["name"], ContentFile((folder / FILES / f["name"]).read_bytes())
            )
            if stored != f["name"]:
                raise BackupError(f"the storage stored {f['name']} as {stored}")
            result.files += 1
        _reindex()
    verify(result)
    return result


def _frozen_tables() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers "
            "WHERE trigger_schema = current_schema()"
        )
        return sorted(r[0] for r in cursor.fetchall())


def _reindex() -> None:
    from meetings.models import Meeting, PublicProtocol
    from meetings.public.search import index_protocol

    published = PublicProtocol.objects.values("meeting")
    for meeting in Meeting.objects.filter(pk__in=published, status="publicerat"):
        index_protocol(meeting)


def verify(result: Restored) -> None:
    """Every stored document of the archive: its file's SHA-256 as its row records it,
    and, for those sealed here, the seal valid (meetings/documents/verification.py).
    An imported protocol's file is as the organisation published it: its SHA-256."""
    from meetings.documents.verification import verify as verify_pdf
    from meetings.models import ArchivedProtocol, Protokollsutdrag, PublicProtocol, Rattelse

    documents = [
        (d.pdf.name, d.sha256, bool(d.imported_from))
        for d in ArchivedProtocol.objects.exclude(pdf="")
    ]
    documents += [
        (d.pdf.name, d.sha256, d.is_imported) for d in PublicProtocol.objects.exclude(pdf="")
    ]
    documents += [(d.pdf.name, d.sha256, False) for d in Protokollsutdrag.objects.exclude(pdf="")]
    for r in Rattelse.objects.filter(approved_at__isnull=False).exclude(pdf=""):
        documents += [(r.pdf.name, r.sha256, False), (r.public_pdf.name, r.public_sha256, False)]
    for name, sha256, imported in documents:
        with default_storage.open(name, "rb") as f:
            data = f.read()
        if _sha256(data) != sha256:
            result.failures.append(f"{name}: its SHA-256 is not the one recorded")
        elif imported:
            result.imported += 1
        elif not verify_pdf(data).authentic:
            result.failures.append(f"{name}: its seal does not verify")
        else:
            result.documents += 1
