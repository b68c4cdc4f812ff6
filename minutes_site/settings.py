"""Paragraf settings: one module, every value from the environment.

With no environment at all the app runs on an SQLite file under ./data, so that
a new user can check out the code and start it. A bad value fails loudly at
start-up rather than running with a surprise.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from minutes_site.env import env, env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-never-use-in-production"

# The site's own address (scheme and host, no trailing slash), for every absolute
# URL it hands out: links in e-mails, feed and calendar ids, the sitemap. Never
# taken from the visitor's Host header, so that ids stay the same whatever address
# was used.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        "SITE_URL must be set to the site's address, e.g. https://protokoll.example.se, "
        "when DEBUG is off."
    )

# The path the site is served under when it is not at the root of its host; empty
# (the root) unless set. Django then ignores any SCRIPT_NAME the server passes on
# (gunicorn takes it from a request header), so that a request cannot choose the
# prefix its own path is read with.
FORCE_SCRIPT_NAME = env("FORCE_SCRIPT_NAME", "").rstrip("/")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Django's admin, asking for the second factor itself (minutes_site/admin_site.py).
    "minutes_site.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes, and passkeys (WebAuthn) beside the app (members/passkeys.py).
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    # Background work (django-tasks, Django's Tasks framework backported) on a queue in
    # the database, and the outbox that sends every e-mail through it.
    "django_tasks",
    "django_tasks_db",
    "minutes_site.outbox",
    # The installation's commands: work (the worker), backup, restore.
    "minutes_site.apps.SiteConfig",
    # Health (minutes_site/health.py) and Prometheus metrics (minutes_site/metrics.py).
    "health_check",
    "django_prometheus",
    "members",
    "meetings",
]

MIDDLEWARE = [
    # Request counts and times for /metrics (first and last but one: all between).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy and the Permissions-Policy on every answer: outside
    # WhiteNoise, so on static files too, and outside every middleware that may
    # answer with an error page itself (a 400 for a bad Host, a 403, a 500).
    "csp.middleware.CSPMiddleware",
    "minutes_site.middleware.PermissionsPolicyMiddleware",
    # X-Frame-Options: DENY on every answer, static files too (outside WhiteNoise).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Static files from the app server itself, before sessions and the rest: every
    # node serves the same vendored files without a separate web server.
    # (Each text file also gzip- and Brotli-compressed, made once: compression.py.)
    "minutes_site.compression.CompressingWhiteNoiseMiddleware",
    # Public pages compressed (never one with a token or personal data), kept ones too.
    "minutes_site.compression.PublicGZipMiddleware",
    # Public pages an anonymous visitor got, shared by all app servers; before the
    # session middleware, so that a kept page costs one query.
    "meetings.public.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minutes_site.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login (TOTP) for administrators and secretaries (members/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "members.two_factor.RequireTwoFactorMiddleware",
    # Records who made each change in the audit trail of protocol content.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Signing in with a passkey alone (no password): the key proves both factors.
    "django_otp_webauthn.backends.WebAuthnBackend",
]
# The relying party of every passkey is SITE_URL's host (members/passkeys.py reads
# it when asked; these say the same for django-otp-webauthn's checks).
# A browser makes passkeys on https only (and on http://localhost): on any other
# address (http://127.0.0.1:8000 of `make run`) there are none to offer.
OTP_WEBAUTHN_HELPER_CLASS = "members.passkeys.PasskeyHelper"
OTP_WEBAUTHN_RP_ID = urlsplit(SITE_URL).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = "Paragraf"
PASSKEYS = SITE_URL.startswith(("https://", "http://localhost"))
OTP_WEBAUTHN_ALLOWED_ORIGINS = (
    [f"{urlsplit(SITE_URL).scheme}://{urlsplit(SITE_URL).netloc}"] if PASSKEYS else []
)
SILENCED_SYSTEM_CHECKS = [] if PASSKEYS else ["otp_webauthn.E030"]

ROOT_URLCONF = "minutes_site.urls"
WSGI_APPLICATION = "minutes_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://… or sqlite:///PATH), else the embedded SQLite file.
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data")))
_database_url = env("DATABASE_URL", "")
if _database_url:
    if not _database_url.startswith(("postgres://", "postgresql://", "sqlite:")):
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres://, postgresql:// or sqlite:///."
        )
    DATABASES = {
        "default": dj_database_url.parse(
            _database_url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            # A kept connection is checked before each request reuses it, so that a
            # database restart does not cost every worker's next request a 500 (by
            # its socket, without a query: minutes_site/postgresql).
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["ENGINE"] = "minutes_site.postgresql"
    if env_bool("DATABASE_MAINTENANCE", False):
        # A maintenance session may TRUNCATE the archive's tables (meetings/rules/frozen.py):
        # only the test suite, which empties the database between tests, sets this.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c paragraf.maintenance=on"
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "paragraf.sqlite3"),
            # The server and the background worker write to one file: a write
            # transaction takes its lock at once and waits for the other's, and
            # readers never wait for a writer (WAL).
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Swedish first; English through the same i18n catalogue.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
# Our catalogue; then the Swedish of the third-party messages people see (passkeys).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# Login throttling (django-axes): after 5 failed attempts for one user name from one
# address, that pair waits 15 minutes; a cool-off, never a permanent lock.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int(
    "AXES_PROXY_COUNT", 1 if env_bool("BEHIND_TLS_PROXY", False) else 0
)
# Our own reading of X-Forwarded-For with that many proxies (django-ipware, which
# axes would use, is not installed; without it axes saw only the proxy's address).
AXES_CLIENT_IP_CALLABLE = "members.client_ip.client_ip"

# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = "Paragraf"

CSRF_FAILURE_VIEW = "meetings.views.errors.csrf_failure"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "home"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# How long an anonymous visitor's public page may be handed to the next visitor
# (meetings/public/page_cache.py); 0 turns the shared page cache off.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 300)
# How long each worker also holds a kept page in memory (meetings/public/page_cache.py).
PUBLIC_PAGE_MEMORY_SECONDS = env_int("PUBLIC_PAGE_MEMORY_SECONDS", 1)

# The open-data API (meetings/oparl, docs/oparl.md). A Swedish authority's decisions
# and protocols carry no copyright (upphovsrättslagen 9 §), so the data is CC0 unless
# the installation says otherwise.
OPEN_DATA_SYSTEM_NAME = env("OPEN_DATA_SYSTEM_NAME", "Paragraf")
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/")
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", "")

# The accessibility statement (tillgänglighetsredogörelse, DOS-lagen) of this
# installation: who runs it, how the public reaches them, and the day of the latest
# assessment. An organisation's own statement gives its contact (Organisation).
ACCESSIBILITY_OPERATOR = env("ACCESSIBILITY_OPERATOR", OPEN_DATA_SYSTEM_NAME)
ACCESSIBILITY_EMAIL = env("ACCESSIBILITY_EMAIL", OPEN_DATA_CONTACT_EMAIL)
ACCESSIBILITY_PHONE = env("ACCESSIBILITY_PHONE", "")
ACCESSIBILITY_ASSESSED_ON = env("ACCESSIBILITY_ASSESSED_ON", "2026-12-06")

# Bilagor and handlingar: the largest file a secretary may upload.
BILAGA_MAX_BYTES = env_int("BILAGA_MAX_BYTES", 25 * 1024 * 1024)
# The public handlingar travel with the kallelse while together within this size
# (most mail servers take 20-25 MB); past it the message links to them.
KALLELSE_ATTACHMENTS_MAX_BYTES = env_int("KALLELSE_ATTACHMENTS_MAX_BYTES", 15 * 1024 * 1024)
# The largest PDF anyone may offer to /verifiera/ (a sealed protocol of a hundred
# pages is a few hundred kB): larger requests are refused before they are read.
# 5 MB: checking costs processor time in proportion to the size (6.6 s for 10 MB).
VERIFY_MAX_BYTES = env_int("VERIFY_MAX_BYTES", 5 * 1024 * 1024)
# Checks one client (address, IPv6 /64) may make per minute at /verifiera/; 0: no limit.
VERIFY_PER_MINUTE = env_int("VERIFY_PER_MINUTE", 5)
# Reading a legacy protocol's PDF (meetings/legacy/source.py, pdftotext): at most
# this many seconds for all the PDFs of one upload, well inside the app server's
# worker timeout (gunicorn's is 30 s), and this much memory for the program.
LEGACY_PDF_SECONDS = env_int("LEGACY_PDF_SECONDS", 20)
LEGACY_PDF_MEMORY_MB = env_int("LEGACY_PDF_MEMORY_MB", 512)
# Django keeps larger uploads on disk rather than in memory; the request limit sits
# a little above the file limit so that an oversize file gets our own message.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The seal on justerade protocols (meetings/documents/sealing.py). Development and the demo use
# a self-signed pair made by `manage.py create_seal_certificate`.
SEAL_CERTIFICATE_FILE = env("SEAL_CERTIFICATE_FILE", str(DATA_DIR / "sigill" / "certifikat.pem"))
SEAL_KEY_FILE = env("SEAL_KEY_FILE", str(DATA_DIR / "sigill" / "nyckel.pem"))
SEAL_KEY_PASSPHRASE = env("SEAL_KEY_PASSPHRASE", "")
# The CA certificates between a bought seal certificate and its root (PEM, any
# number), embedded in each seal so that a reader can build the chain.
SEAL_CHAIN_FILE = env("SEAL_CHAIN_FILE", "")
# Seal certificates used before the current one (PEM, any number): documents sealed
# with them are still verified as ours after a renewal (they seal nothing new).
SEAL_RETIRED_CERTIFICATES_FILE = env("SEAL_RETIRED_CERTIFICATES_FILE", "")
# An RFC 3161 time-stamping authority: each seal then carries a time-stamp token that
# proves when it was made, and the validation data of the certificates (PAdES B-LT),
# so that it can be checked after the certificate has expired. Empty: no time-stamp.
SEAL_TSA_URL = env("SEAL_TSA_URL", "")
# The TSA's root certificate(s) (PEM), when the system does not already trust it.
SEAL_TSA_TRUST_FILE = env("SEAL_TSA_TRUST_FILE", "")
# Seconds to wait for the TSA; past it the protocol is sealed without a time-stamp.
SEAL_TSA_TIMEOUT = env_int("SEAL_TSA_TIMEOUT", 10)

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
# WhiteNoise finds the vendored files where they lie, so a node needs no collectstatic;
# it reads them once at start-up (no autorefresh outside DEBUG).
WHITENOISE_USE_FINDERS = True
# Files a browser asks for at the site's root (/favicon.ico), served as static files.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))

# Uploaded bilagor and archived PDFs: MEDIA_ROOT on one server, or an S3-compatible
# bucket (django-storages) that several app servers share. Nothing else is written
# to local disk, so any node can serve what another node stored.
if env("S3_BUCKET", ""):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("S3_BUCKET", ""),
            "endpoint_url": env("S3_ENDPOINT_URL", "") or None,
            "region_name": env("S3_REGION", "") or None,
            "access_key": env("S3_ACCESS_KEY", "") or None,
            "secret_key": env("S3_SECRET_KEY", "") or None,
            # Files are private: they reach visitors only through permission-checked views.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "paragraf@localhost")
# A mail server that does not answer must not hold a worker for ever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)

# Background tasks: queued in the database, run by `manage.py work` on any node (the
# test suite runs them at once, in the test's own transaction: TASKS_BACKEND).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A task (or a mail's claim) older than this is taken to have lost its worker and runs
# again: longer than any task takes (a mail waits EMAIL_TIMEOUT at most).
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 600)
# How long a worker keeps trying to record that a mail went out, while the database
# restarts (else the mail would go a second time).
OUTBOX_RECORD_SECONDS = env_int("OUTBOX_RECORD_SECONDS", 60)
# /halsa/ reports a task waiting longer than this for a worker, a mail longer unsent.
TASK_QUEUE_MAX_AGE = env_int("TASK_QUEUE_MAX_AGE", 300)
OUTBOX_MAX_AGE = env_int("OUTBOX_MAX_AGE", 3600)
# /metrics answers only with this token (Authorization: Bearer …); unset, it is not there.
METRICS_TOKEN = env("METRICS_TOKEN", "")

# Production hardening, switched on by environment (documented in README.md).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site only; no inline script or style
# (Bootstrap and any JavaScript are vendored into static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Permissions-Policy: the browser features no page of the site uses, switched off
# for the page and anything it embeds (minutes_site/middleware.py).
PERMISSIONS_POLICY = ", ".join(
    [
        *(
            f"{feature}=()"
            for feature in (
                "accelerometer", "autoplay",
                "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
                "gyroscope", "hid", "idle-detection", "magnetometer",
                "microphone", "midi", "payment", "picture-in-picture",
                "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
            )
        ),
        # Passkeys (members/passkeys.py): made and used by the site's own pages only.
        "publickey-credentials-create=(self)",
        "publickey-credentials-get=(self)",
    ]
)  # fmt: skip

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
