"""The assignee's page of uppdrag reads in as many queries however many there are:
its own module, since it builds its justerat protocol per test where the module
test_follow_up_assignee reads one built once."""

import pytest

from meetings.actions import followup
from tests.meetings.test_follow_up_assignee import LIST, _account, _justerat_with_uppdrag


@pytest.mark.parametrize("more", [0, 12])
def test_the_page_reads_in_as_many_queries_however_many_uppdrag(
    more, drafted, annica, fredrik, secretary, client, django_assert_max_num_queries
):
    annica_account = _account(annica, "annica")
    _account(fredrik, "fredrik")
    made = _justerat_with_uppdrag(drafted, annica, fredrik, secretary, more=more)
    for u in made[::2]:
        followup.record(u, status="pagar", note="Pågår", by=secretary)
    client.force_login(annica_account)

    with django_assert_max_num_queries(5):
        response = client.get(LIST)

    assert response.status_code == 200
    assert response.content.decode().count('<section class="card mb-3"') == 2 + more
