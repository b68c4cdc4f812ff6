import datetime

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Body, Membership, Organisation, Party, Person, StaffRole
from tests import factories

TERM_START = datetime.date(2023, 1, 1)
TERM_END = datetime.date(2026, 12, 31)


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def membership(person, body, start=TERM_START, end=TERM_END, role="ledamot", **fields):
    return Membership.objects.create(
        person=person, body=body, role=role, start=start, end=end, **fields
    )


def test_organisation_slug_and_number_are_unique(organisation):
    refused_by_database(lambda: factories.organisation(name="Annat", number="222000-9999"))
    refused_by_database(lambda: factories.organisation(name="Annat", slug="annat"))
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("number", ["2220001234", "222000-123", "22200-12345", "abcdef-1234"])
def test_organisation_number_must_be_written_nnnnnn_nnnn(db, number):
    o = Organisation(name="X", slug="x", organisation_number=number)

    with pytest.raises(ValidationError) as error:
        o.full_clean()

    assert list(error.value.message_dict) == ["organisation_number"]


def test_a_party_name_is_unique_within_an_organisation(organisation, other_organisation):
    Party.objects.create(organisation=organisation, name="Luleå kommun", kind="kommun")
    Party.objects.create(organisation=other_organisation, name="Luleå kommun", kind="kommun")

    refused_by_database(
        lambda: Party.objects.create(organisation=organisation, name="Luleå kommun")
    )
    assert Party.objects.filter(name="Luleå kommun").count() == 2


def test_a_body_slug_is_unique_within_an_organisation(styrelse, other_organisation):
    factories.body(other_organisation, "Styrelsen", "styrelse")

    refused_by_database(lambda: factories.body(styrelse.organisation, "Styrelse 2", "styrelse"))
    assert Body.objects.filter(slug="styrelse").count() == 2


def test_a_body_cannot_prepare_matters_for_itself(styrelse):
    styrelse.prepares_for = styrelse

    refused_by_database(lambda: styrelse.save())


def test_a_body_prepares_only_for_its_own_organisation(au, other_organisation):
    au.prepares_for = factories.body(other_organisation, "Styrelsen", "styrelse")

    with pytest.raises(ValidationError) as error:
        au.full_clean()

    assert list(error.value.message_dict) == ["prepares_for"]


def test_a_term_cannot_end_before_it_starts(fredrik, au):
    refused_by_database(
        lambda: membership(
            fredrik, au, start=datetime.date(2024, 1, 1), end=datetime.date(2023, 1, 1)
        )
    )


def test_one_start_date_per_person_and_body(fredrik, au):
    membership(fredrik, au)

    refused_by_database(lambda: membership(fredrik, au, role="ordforande"))


def test_memberships_valid_on_a_date_include_the_first_and_last_day(fredrik, annica, bengt, au):
    whole_term = membership(fredrik, au)
    open_ended = membership(annica, au, start=datetime.date(2025, 3, 1), end=None)
    ended = membership(bengt, au, end=datetime.date(2024, 6, 30))

    def valid(day):
        return set(Membership.objects.valid_on(day))

    assert valid(datetime.date(2023, 1, 1)) == {whole_term, ended}
    assert valid(datetime.date(2024, 6, 30)) == {whole_term, ended}
    assert valid(datetime.date(2024, 7, 1)) == {whole_term}
    assert valid(datetime.date(2025, 3, 1)) == {whole_term, open_ended}
    assert valid(datetime.date(2026, 12, 31)) == {whole_term, open_ended}
    assert valid(datetime.date(2027, 1, 1)) == {open_ended}
    assert valid(datetime.date(2022, 12, 31)) == set()


def test_an_overlapping_second_seat_in_the_same_body_is_refused(fredrik, au):
    membership(fredrik, au, end=datetime.date(2024, 12, 31))
    overlapping = Membership(
        person=fredrik, body=au, role="ledamot", start=datetime.date(2024, 6, 1)
    )
    following = Membership(
        person=fredrik, body=au, role="ordforande", start=datetime.date(2025, 1, 1)
    )

    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    following.full_clean()

    assert list(error.value.message_dict) == ["start"]


def test_a_body_has_one_ordforande_at_a_time(fredrik, annica, au):
    Membership.objects.create(
        person=fredrik,
        body=au,
        role="ordforande",
        start=datetime.date(2023, 1, 1),
        end=datetime.date(2026, 12, 31),
    )
    second = Membership(person=annica, body=au, role="ordforande", start=datetime.date(2026, 6, 1))
    after = Membership(person=annica, body=au, role="ordforande", start=datetime.date(2027, 1, 1))

    with pytest.raises(ValidationError) as error:
        second.full_clean()
    after.full_clean()

    assert error.value.message_dict == {
        "role": [
            "Fredrik Hansson är redan ordförande i organet under en del av perioden: avsluta den "
            "mandattiden först."
        ]
    }


def test_a_membership_stays_within_one_organisation(fredrik, au, other_organisation):
    stranger = factories.person(other_organisation, "Sven Svensson")
    foreign_party = Party.objects.create(organisation=other_organisation, name="Region Syd")
    m = Membership(person=stranger, body=au, role="ledamot", start=TERM_START, party=foreign_party)

    with pytest.raises(ValidationError) as error:
        m.full_clean()

    assert sorted(error.value.message_dict) == ["party", "person"]


def test_an_account_is_one_person_per_organisation(organisation, other_organisation):
    user = User.objects.create_user("fredrik")
    factories.person(organisation, "Fredrik Hansson", user=user)
    factories.person(other_organisation, "Fredrik Hansson", user=user)

    refused_by_database(lambda: factories.person(organisation, "F. Hansson", user=user))
    assert Person.objects.filter(user=user).count() == 2


def test_a_staff_role_is_held_once(organisation):
    user = User.objects.create_user("asa")
    StaffRole.objects.create(user=user, organisation=organisation, role="sekreterare")
    StaffRole.objects.create(user=user, organisation=organisation, role="administrator")

    refused_by_database(
        lambda: StaffRole.objects.create(user=user, organisation=organisation, role="sekreterare")
    )


def test_every_row_has_created_and_modified_times(organisation):
    before = organisation.modified

    organisation.name = "Samordningsförbundet i Norrbotten"
    organisation.save()

    assert organisation.created is not None
    assert organisation.modified > before


@pytest.mark.parametrize("slug", ["admin", "arbete", "verifiera", "sok"])
def test_an_organisation_cannot_take_one_of_the_sites_own_addresses(db, slug):
    o = Organisation(name="X", slug=slug, organisation_number="222000-7777")

    with pytest.raises(ValidationError) as error:
        o.full_clean()

    assert list(error.value.message_dict) == ["slug"]


def _body_level_words() -> set[str]:
    """The fixed words the public archive uses right after an organisation's slug."""
    import re

    from meetings import urls_public

    words = set()
    for pattern in urls_public.urlpatterns:
        route = str(pattern.pattern).lstrip("^")
        parts = route.split("/")
        if (
            len(parts) > 1
            and parts[0] in ("<slug:org>", "(?P<org>[-a-z0-9]+)")
            and re.fullmatch(r"[-a-z0-9]+", parts[1])
            and parts[2:] in ([""], ["$"])
        ):
            words.add(parts[1])
    return words


def test_every_word_of_the_public_addresses_at_a_bodys_place_is_reserved():
    from members.models import RESERVED_BODY_SLUGS

    assert _body_level_words() == {"anslagstavla", "tillganglighet", "arenden"}
    assert _body_level_words() <= RESERVED_BODY_SLUGS


@pytest.mark.django_db
def test_no_way_of_saving_gives_a_body_a_reserved_address(organisation):
    body = Body(organisation=organisation, name="Anslagstavlan", slug="anslagstavla", kind="other")

    with pytest.raises(ValidationError) as by_clean:
        body.full_clean()
    with pytest.raises(ValidationError):
        Body.objects.create(
            organisation=organisation, name="X", slug="tillganglighet", kind="other"
        )

    assert list(by_clean.value.message_dict) == ["slug"]
    assert not Body.objects.exists()
