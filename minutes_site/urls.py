from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import include, path

from meetings.public import feeds
from meetings.views import public as public_views
from meetings.views import start as start_views
from members import identity_views, passkey_views, two_factor
from members import views as member_views
from members.password_reset import ThrottledPasswordResetForm
from minutes_site import health, language, metrics

urlpatterns = [
    path("", public_views.home, name="home"),
    path("verifiera/", public_views.verify_protocol, name="verify"),
    path("verifiera/sigill.pem", public_views.seal_certificate, name="seal_certificate"),
    path("verifiera/tidsstampel.pem", public_views.tsa_certificate, name="tsa_certificate"),
    path("robots.txt", public_views.robots, name="robots"),
    # For the load balancer and monitoring (minutes_site/health.py, metrics.py).
    path("halsa/", health.Health.as_view(), name="health"),
    path("halsa/nod/", health.NodeHealth.as_view(), name="node_health"),
    path("metrics", metrics.metrics, name="metrics"),
    path("tillganglighet/", public_views.accessibility_statement, name="accessibility"),
    path("sprak/<str:code>/", language.choose, name="language"),
    path("sok/", public_views.search, name="search"),
    # Open data: the public archive as an OParl 1.1 API (docs/oparl.md).
    path("oparl/", include("meetings.public.oparl.urls")),
    path("sitemap.xml", feeds.sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_view,
        {"sitemaps": feeds.SITEMAPS},
        name="sitemap_section",
    ),
    path("start/", start_views.start, name="start"),
    path("logga-in/", two_factor.LoginView.as_view(), name="login"),
    path("logga-ut/", two_factor.ForgettingLogoutView.as_view(), name="logout"),
    path("logga-in/med/<int:pk>/", identity_views.sign_in, name="identity_sign_in"),
    path("logga-in/svar/", identity_views.callback, name="identity_callback"),
    path("logga-in/vidare/", identity_views.go, name="identity_go"),
    path("konto/tvastegsinloggning/", two_factor.two_factor, name="two_factor"),
    path("konto/nycklar/", passkey_views.keys, name="keys"),
    path("konto/nycklar/<int:pk>/ta-bort/", passkey_views.remove_key, name="key_remove"),
    path("konto/nycklar/aterstallningskoder/", passkey_views.recovery_codes, name="recovery_codes"),
    path("konto/webauthn/", include("members.passkey_urls")),
    path(
        "konto/losenord/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            form_class=ThrottledPasswordResetForm,
        ),
        name="password_reset",
    ),
    path(
        "konto/losenord/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "konto/losenord/<uidb64>/<token>/",
        member_views.ChoosePasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "konto/losenord/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("arbete/organisation/<slug:org>/", include("members.urls")),
    path("arbete/", include("meetings.urls")),
    path("justera/", include("meetings.urls_justering")),
    path("ledamot/", include("meetings.urls_member")),
    path("admin/", admin.site.urls),
    # Last: the public archive's addresses start with an organisation's slug.
    path("", include("meetings.urls_public")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "meetings.views.errors.bad_request"
handler403 = "meetings.views.errors.permission_denied"
handler404 = "meetings.views.errors.page_not_found"
handler500 = "meetings.views.errors.server_error"
