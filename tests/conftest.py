"""Shared fixtures: a förbund like the one in shared/examples, with its people.

`organisation` is the förbund under test; `other_organisation` is a second one that
should never see or be mixed with the first one's data.
"""

import datetime

import pytest
from django.db import connection

from tests import factories


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://…")


@pytest.fixture
def organisation(db):
    return factories.organisation()


@pytest.fixture
def other_organisation(db):
    return factories.organisation(
        name="Samordningsförbundet Söderhavet", slug="soderhavet", number="222000-5678"
    )


@pytest.fixture
def styrelse(organisation):
    return factories.body(organisation, "Styrelsen", "styrelse", kind="styrelse")


@pytest.fixture
def au(organisation, styrelse):
    return factories.body(
        organisation,
        "Arbetsutskottet",
        "arbetsutskott",
        kind="arbetsutskott",
        prepares_for=styrelse,
    )


@pytest.fixture
def fredrik(organisation):
    return factories.person(organisation, "Fredrik Hansson")


@pytest.fixture
def annica(organisation):
    return factories.person(organisation, "Annica Alatalo")


@pytest.fixture
def bengt(organisation):
    return factories.person(organisation, "Bengt-Åke Strand")


@pytest.fixture
def asa(organisation):
    return factories.person(organisation, "Åsa Snårbacka", title="Förbundschef")


@pytest.fixture
def meeting(au):
    return factories.meeting(au, datetime.date(2021, 9, 27))
