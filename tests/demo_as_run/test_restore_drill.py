"""The restore drill: the demo backed up, restored into a fresh database and storage
by `manage.py restore` in another process, every sealed document verified there
(SHA-256 and seal), and the public pages of the restored installation (three of each
kind) answering as the original's do."""

import json
import os
import re
import subprocess
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg2
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from meetings.models import ArchivedProtocol, Protokollsutdrag, PublicProtocol, Rattelse
from tests.demo_as_run.test_site_crawl import _kind, crawl
from tests.deployment.nodes import ROOT, Browser, Node


def _fresh_database(tmp_path) -> tuple[str, callable]:
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}", lambda: None
    db = connection.settings_dict
    name = f"paragraf_restore_{uuid.uuid4().hex[:8]}"
    server = psycopg2.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres")
    server.autocommit = True
    server.cursor().execute(f'CREATE DATABASE "{name}"')

    def drop():
        server.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()

    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}", drop


def _run(env, *command) -> str:
    done = subprocess.run(
        [str(ROOT / ".venv/bin/python"), "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# What differs between two servers of one installation: nothing but the answer's
# moment in a page that says when it was rendered (none here), so pages compare whole.
VOLATILE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _of_each_kind(pages: dict, each: int = 3) -> dict:
    """The first, middle and last page of each kind (a protocol, a § page, a PDF …).
    The restore itself verifies every sealed file and the manifest's count of every
    file; the pages show that the restored installation serves each kind as the
    original does, and three of each did so in a third of the time of all of them."""
    kinds: dict[str, list[str]] = {}
    for url in sorted(pages):
        kinds.setdefault(_kind(url), []).append(url)
    chosen = set()
    for urls in kinds.values():
        step = max(1, (len(urls) - 1) // (each - 1))
        chosen.update(urls[::step][: each - 1] + urls[-1:])
    return {url: pages[url] for url in chosen}


def test_the_demo_restored_verifies_and_answers_as_before(client, seeded, tmp_path):
    folder = tmp_path / "kopia"
    call_command("backup", str(folder))
    manifest = json.loads((folder / "manifest.json").read_text())
    sealed = (
        ArchivedProtocol.objects.filter(imported_from="").count()
        + PublicProtocol.objects.filter(is_imported=False).count()
        + Protokollsutdrag.objects.count()
        + 2 * Rattelse.objects.filter(approved_at__isnull=False).exclude(pdf="").count()
    )
    assert sealed > 20
    assert len(manifest["files"]) >= sealed

    database_url, drop = _fresh_database(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")},
        "DJANGO_SETTINGS_MODULE": "minutes_site.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "DATABASE_URL": database_url,
        "DATA_DIR": str(tmp_path / "data"),
        "MEDIA_ROOT": str(tmp_path / "restored-media"),
        "SEAL_CERTIFICATE_FILE": str(settings.SEAL_CERTIFICATE_FILE),
        "SEAL_KEY_FILE": str(settings.SEAL_KEY_FILE),
        "SITE_URL": settings.SITE_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "PUBLIC_PAGE_CACHE_SECONDS": "0",
    }
    try:
        _run(env, "migrate", "--noinput")
        said = _run(env, "restore", str(folder))
        assert f"{len(manifest['files'])} files. Verified: {sealed} sealed documents" in said
        # A second restore into what now holds the demo is refused.
        again = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "restore", str(folder)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert again.returncode == 1
        assert "this installation holds data: restore into an empty one" in again.stderr

        original = crawl(client)
        node = Node(env, workers=2)
        try:

            def differs(item) -> bool:
                url, (status, text) = item
                restored = Browser().get(node.url + url)
                return restored.status != status or bool(
                    text and VOLATILE.sub("", restored.text) != VOLATILE.sub("", text)
                )

            with ThreadPoolExecutor(max_workers=2) as pool:
                items = sorted(_of_each_kind(original).items())
                differ = [
                    url
                    for (url, _), bad in zip(items, pool.map(differs, items), strict=True)
                    if bad
                ]
        finally:
            node.stop()
    finally:
        drop()

    assert len(original) > 100
    assert differ == []
