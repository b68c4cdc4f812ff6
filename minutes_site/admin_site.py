"""Django's admin, with the second factor as a condition of the site itself.

The middleware (members/two_factor.py) sends unverified staff to the two-factor page
before any admin view; the site refuses them on its own as well, so that no way of
reaching an admin view (a prefix, a middleware left out, a view added later) opens
it with a password alone.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _

# The apps and models of the login protection, named in the admin's index in the
# language of the site: django-axes and django-otp bring no Swedish of their own
# (issue 29, 16). Their models' own names stay: they are part of their migrations.
APP_NAMES = {
    "axes": _("Login throttling"),
    "otp_totp": _("Two-factor login"),
    "django_tasks_database": _("Background tasks"),
}
MODEL_NAMES = {
    ("axes", "AccessAttempt"): _("Failed login attempts"),
    ("axes", "AccessAttemptExpiration"): _("Expiry of failed login attempts"),
    ("axes", "AccessFailureLog"): _("Log of failed logins"),
    ("axes", "AccessLog"): _("Log of logins"),
    ("otp_totp", "TOTPDevice"): _("Authenticator apps (TOTP)"),
    ("django_tasks_database", "DBTaskResult"): _("Tasks and their results"),
}


class AdminSite(admin.AdminSite):
    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"])
                model["name"] = MODEL_NAMES.get(key, model["name"])
        return apps

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
