from django.contrib.auth.models import User

from meetings import demo
from tests.conftest import can_log_in


def test_without_a_password_the_demo_accounts_cannot_log_in(db):
    demo.seed()

    assert not can_log_in("admin", "")
    assert not User.objects.get(username="admin").has_usable_password()
