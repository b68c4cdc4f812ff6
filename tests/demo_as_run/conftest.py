"""The demo as `make run` seeds it (a year of justerade, sealed and published
protocols, one out for justering, one drafted, the next meetings called), seeded
once for this whole package: every test here reads it in a savepoint of its own.
Seeding it takes longer than anything else in the suite, so a test that needs the
demo as it is belongs here; one that needs to seed it itself (twice, on a given day,
in an empty database) stays in tests/meetings/test_demo*.py."""

from meetings import demo
from tests.conftest import shared_rows


def _seed():
    demo.seed(password="demo", justera=True)


_seeded_built, seeded = shared_rows("seeded", _seed, scope="package")
