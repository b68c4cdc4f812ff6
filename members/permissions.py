"""Who may work for which organisation.

A secretary (sekreterare) or an administrator of an organisation may plan its
meetings and draft its protocols. Anything of another organisation is treated as
not existing (404), so that a request cannot even learn that it is there.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from members.models import Body, Organisation, StaffRole

WORKSPACE_ROLES = (StaffRole.Role.SEKRETERARE, StaffRole.Role.ADMINISTRATOR)


def workspace_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose meetings `user` may plan and minute."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        staff_roles__user=user, staff_roles__role__in=WORKSPACE_ROLES
    ).distinct()


def administered_organisations(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations `user` is an administrator of (the one rule: their bodies,
    people, seats and staff roles are theirs to keep)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        staff_roles__user=user, staff_roles__role=StaffRole.Role.ADMINISTRATOR
    ).distinct()


def workspace_bodies(user: User | AnonymousUser) -> QuerySet[Body]:
    return Body.objects.filter(organisation__in=workspace_organisations(user)).select_related(
        "organisation"
    )


def organisations_of(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations `user` belongs to at all (one of its people, or a staff
    role there): within them a missing right is 403, elsewhere 404."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(Q(people__user=user) | Q(staff_roles__user=user)).distinct()
