"""Django's admin, with the second factor as a condition of the site itself.

The middleware (members/two_factor.py) sends unverified staff to the two-factor page
before any admin view; the site refuses them on its own as well, so that no way of
reaching an admin view (a prefix, a middleware left out, a view added later) opens
it with a password alone.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and bool(is_verified and is_verified())

    def login(self, request, extra_context=None):
        # Logged in with the password only: the missing step is the code, not the
        # admin's own login form. (Imported here: this module is loaded while the app
        # registry is still filling, before members' models may be.)
        from members.two_factor import _to_two_factor, needs_two_factor

        if request.user.is_authenticated and needs_two_factor(request.user):
            is_verified = getattr(request.user, "is_verified", None)
            if not (is_verified and is_verified()):
                return _to_two_factor(request)
        return super().login(request, extra_context)


class AdminConfig(DjangoAdminConfig):
    default_site = "minutes_site.admin_site.AdminSite"
