"""Shared fixtures: a förbund like the one in shared/examples, with its people.

`organisation` is the förbund under test; `other_organisation` is a second one that
should never see or be mixed with the first one's data.
"""

import contextlib
import datetime
import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests import example, factories


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture
def organisation(db):
    return factories.organisation()


@pytest.fixture
def other_organisation(db):
    return example.other_organisation()


@pytest.fixture
def styrelse(organisation):
    return example.styrelse(organisation)


@pytest.fixture
def au(organisation, styrelse):
    return example.au(organisation, styrelse)


@pytest.fixture
def fredrik(organisation):
    return example.person(organisation, "fredrik")


@pytest.fixture
def annica(organisation):
    return example.person(organisation, "annica")


@pytest.fixture
def bengt(organisation):
    return example.person(organisation, "bengt")


@pytest.fixture
def asa(organisation):
    return example.person(organisation, "asa")


@pytest.fixture
def meeting(au):
    return factories.meeting(au, datetime.date(2021, 9, 27))


SEAT_TERM = example.SEAT_TERM


@pytest.fixture
def seats(au, fredrik, annica, bengt, organisation):
    """The arbetsutskott of the example: three members and one deputy."""
    return example.seats(au, fredrik, annica, bengt, organisation)


_secretary = example.secretary_account


@pytest.fixture
def secretary(organisation, asa):
    return _secretary("asa", organisation, asa)


def totp_code(device, offset: int = 0) -> str:
    """The code the user's authenticator app shows now (or `offset` steps later)."""
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in_with_two_factor(client, user):
    """Logged in as `user`, the session verified with a TOTP device, as staff are
    after the two-factor page (tests/members/test_two_factor.py walks that page)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "test"}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's superuser browser, with the two-factor step the admin requires."""
    from django.test import Client

    return log_in_with_two_factor(Client(), admin_user)


@pytest.fixture
def secretary_client(client, secretary):
    return log_in_with_two_factor(client, secretary)


@pytest.fixture
def other_secretary_client(client, other_organisation):
    """Charlie: a secretary too, but of another förbund."""
    return log_in_with_two_factor(client, _secretary("charlie", other_organisation))


@pytest.fixture
def planned(au, seats, secretary):
    return example.planned(au, secretary)


@pytest.fixture
def week_before(monkeypatch):
    """Today is a week before the example's meeting of 2021-09-27: the days when its
    kallelse goes out."""
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: datetime.date(2021, 9, 20)
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher costs a third of a second a password by design; tests make
    # hundreds of accounts. What is tested is who may log in, not the hash's cost.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def static_files_found_when_asked(settings):
    # Each test client loads the middleware anew, and WhiteNoise would list every
    # static file each time (25 ms; a quarter of the permission matrix's time):
    # looked up when asked, as under DEBUG, the same files are served.
    settings.WHITENOISE_AUTOREFRESH = True


@pytest.fixture(autouse=True)
def the_installations_language():
    # A request in English leaves its language active in the thread (LocaleMiddleware
    # does not undo it); a command's output in the next test must not depend on it.
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory) -> Path:
    """One development seal for the session (an RSA key takes a while to make)."""
    from django.test import override_settings

    from meetings.documents import sealing

    folder = tmp_path_factory.mktemp("sigill")
    with override_settings(
        SEAL_CERTIFICATE_FILE=str(folder / "certifikat.pem"),
        SEAL_KEY_FILE=str(folder / "nyckel.pem"),
    ):
        sealing.create_development_certificate()
    return folder


@pytest.fixture(autouse=True)
def files_in_a_temporary_folder(settings, tmp_path, seal_files):
    """No test writes uploads, archives or seal keys into the working tree. Each test
    has its own copy of a usable seal, as every installation must (meetings.checks);
    a test of an installation without one removes it (`no_seal`)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Nor does a page one test's request left in the worker's memory answer another's.
    from meetings.public import page_cache

    page_cache._memory.clear()
    shutil.copytree(seal_files, tmp_path / "sigill")
    settings.SEAL_CERTIFICATE_FILE = str(tmp_path / "sigill" / "certifikat.pem")
    settings.SEAL_KEY_FILE = str(tmp_path / "sigill" / "nyckel.pem")


@pytest.fixture
def tsa(settings, tmp_path):
    """A time-stamping authority on loopback (tests/time_stamping.py), configured as
    the installation's SEAL_TSA_URL."""
    from tests import time_stamping

    authority = time_stamping.start(tmp_path)
    settings.SEAL_TSA_URL = authority.url
    settings.SEAL_TSA_TRUST_FILE = str(authority.root_file)
    yield authority
    authority.stop()


@pytest.fixture
def no_seal(settings):
    """An installation whose seal certificate and key are missing."""
    for name in ("SEAL_CERTIFICATE_FILE", "SEAL_KEY_FILE"):
        Path(getattr(settings, name)).unlink()


@pytest.fixture
def drafted(planned, styrelse):
    """The example's arbetsutskott meeting, numbered, with a proposal and a bilaga."""
    return example.drafted(planned, styrelse)


@pytest.fixture
def justerat(drafted, annica, secretary):
    from meetings.documents import sealing

    sealing.create_development_certificate()
    meeting = drafted
    justera(meeting, justerare=[annica], by=secretary)
    meeting.refresh_from_db()
    assert meeting.is_frozen
    return meeting


def can_log_in(username: str, password: str) -> bool:
    """Whether the login page accepts these credentials (as a browser would; the
    throttling backend needs a real request)."""
    from django.test import Client

    response = Client().post("/logga-in/", {"username": username, "password": password})
    return response.status_code == 302


def justera(meeting, *, justerare, by):
    """Take a protocol through the real justering services: sent to the chair and
    `justerare`, each approving the current version. Sealing needs a certificate."""
    from meetings.actions import justering
    from meetings.documents import sealing

    sealing.create_development_certificate()
    justering.send_for_justering(
        meeting, justerare=justerare, deadline=meeting.date, by=by, notify=False
    )
    for person in justering.approvers(meeting):
        person.refresh_from_db()
        justering.approve(
            meeting, person, version=justering.content_hash(meeting), user=person.user
        )
    meeting.refresh_from_db()


@contextlib.contextmanager
def archive_unlocked(*tables: str):
    """Within a test's transaction, let it change the archive's tables (append-only on
    PostgreSQL, meetings/rules/frozen.py) to set up a case the app can never make."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending: ALTER may run
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# --- Rows built once for a module's tests -------------------------------------


@contextlib.contextmanager
def _outer_transaction():
    """A transaction on every database, rolled back at the end: the tests inside it
    each run in a savepoint of their own (pytest-django's `db` nests, as Django's
    TestCase does for setUpTestData)."""
    from django.db import connections, transaction

    atomics = [transaction.atomic(using=alias) for alias in connections]
    for atomic in atomics:
        atomic.__enter__()
    try:
        yield
    finally:
        for alias in connections:
            transaction.set_rollback(True, using=alias)
        for atomic in reversed(atomics):
            atomic.__exit__(None, None, None)


def shared_rows(name: str, build, *, scope: str = "module"):
    """Two fixtures for a test module whose tests read one world and may change it:
    `<name>` gives each test what `build()` returned (a deep copy: no test sees
    another's changes to the objects), the rows as built (each test's changes are
    rolled back with its savepoint), and the files built with them copied into the
    test's own media folder. `build()` runs once per module, inside a transaction
    the module's tests run in; so every database test of that module sees these rows:
    give such a world a module of its own. Use: `world = shared_rows("world", build)`.
    With scope="package" (in a package's conftest) the world is built once for all
    the package's modules, and every database test of the package sees it.
    """
    import copy
    import inspect

    from django.test import override_settings

    @pytest.fixture(scope=scope, name=f"_{name}_built")
    def built(django_db_setup, django_db_blocker, tmp_path_factory, seal_files):
        folder = tmp_path_factory.mktemp(name)
        shutil.copytree(seal_files, folder / "sigill")
        from django.db import connection as default

        outer = _outer_transaction()
        with django_db_blocker.unblock():
            # Inside a test's transaction the rows would go with its rollback.
            assert not default.in_atomic_block, f"ask for {name} before db"
            outer.__enter__()
            try:
                with override_settings(
                    MEDIA_ROOT=str(folder / "media"),
                    SEAL_CERTIFICATE_FILE=str(folder / "sigill" / "certifikat.pem"),
                    SEAL_KEY_FILE=str(folder / "sigill" / "nyckel.pem"),
                    PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                ):
                    value = build()
            except BaseException:
                outer.__exit__(None, None, None)
                raise
        yield folder / "media", value
        with django_db_blocker.unblock():
            outer.__exit__(None, None, None)  # every row rolled back before the next module

    def each(request, settings, files_in_a_temporary_folder, **named):
        # The module's transaction first (pytest sets up the wider scope first), then
        # the test's savepoint inside it (`db`, named so that pytest-django knows the
        # test needs the database at all).
        media, value = named[f"_{name}_built"]
        if media.exists():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
        return copy.deepcopy(value)

    keyword = inspect.Parameter.KEYWORD_ONLY
    each.__signature__ = inspect.Signature(
        [
            inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD)
            for n in ("request", "settings", "files_in_a_temporary_folder")
        ]
        + [inspect.Parameter(f"_{name}_built", keyword), inspect.Parameter("db", keyword)]
    )
    each = pytest.fixture(name=name)(each)

    return built, each


def published_world_fixtures(namespace: dict) -> None:
    """For a module whose tests read one published protocol (example.published_world,
    built once for the module): `world`, and the fixtures its tests and conftest's
    fixtures ask for (`published`, `secretary`, `annica` …) answered from that world,
    so that none of them builds a second förbund. Use: published_world_fixtures(globals())."""
    world_fixtures(namespace, example.published_world, "published")


def justerat_world_fixtures(namespace: dict) -> None:
    """As published_world_fixtures, for a module whose tests start from one justerat,
    not yet published protocol (example.justerat_world): `justerat`, `drafted` (the
    same meeting, as conftest's fixtures make it), `planned`, the people …"""
    world_fixtures(namespace, example.justerat_world, "justerat", "drafted", "planned")


def world_fixtures(namespace: dict, build, *meetings: str) -> None:
    built, world = shared_rows("world", build)
    namespace["_world_built"], namespace["world"] = built, world

    def piece(name):
        @pytest.fixture(name=name)
        def fixture(world):
            return getattr(world, name)

        return fixture

    for name in (
        *meetings,
        "organisation",
        "styrelse",
        "au",
        "secretary",
        "seats",
        *example.PEOPLE,
    ):
        namespace[f"_{name}_of_the_world"] = piece(name)
