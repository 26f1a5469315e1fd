"""Django settings for SpinePrompt.

One settings module for every environment: development and production differ only by environment
variables (see README "Configuration"). Values are read through the typed helpers in config/env.py,
which name the variable when it is missing or malformed.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# --- Environment ----------------------------------------------------------------------------------

DJANGO_ENV = env_str("DJANGO_ENV", "development", choices=("development", "production"))
IS_PRODUCTION = DJANGO_ENV == "production"

if IS_PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if env_bool("DJANGO_DEBUG", False):
        # Debug pages show settings and local variables, which may include patient data.
        raise ImproperlyConfigured("DJANGO_DEBUG must not be true when DJANGO_ENV=production.")
    DEBUG = False
else:
    # Deliberately insecure and public: only ever used on a developer's machine.
    SECRET_KEY = env_str("DJANGO_SECRET_KEY", "django-insecure-development-only-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
    DEBUG = env_bool("DJANGO_DEBUG", True)

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# --- Applications ---------------------------------------------------------------------------------

# core.rules is deliberately absent: it is a pure-Python package, not a Django app.
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "apps.accounts",
    "apps.web",
    "apps.evaluation",
    "apps.api",
    "apps.audit",
    "apps.assessments",
    "apps.resources",
    "apps.cdshooks",
    "apps.casefinding",
    "apps.smart",
    "apps.selfcheck",
    # Background jobs (the case-finding import): Django's task framework, backported (django_tasks), with its
    # database backend (django_tasks_db) as the embedded default on SQLite and PostgreSQL.
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise so that static responses get the headers too.
    "apps.web.middleware.SecurityHeadersMiddleware",
    # Before the session and authentication, so a refused request costs no database work.
    "apps.web.ratelimit.RateLimitMiddleware",
    # With SMART_EMBEDDED, marks the session and CSRF cookies Partitioned: before the middleware that set them.
    "apps.smart.middleware.PartitionedCookiesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Framing by a launching EHR's configured origins only (apps/smart/middleware.py): needs the session, and must
    # come before XFrameOptionsMiddleware so that it sees (and may lift) X-Frame-Options on the way out.
    "apps.smart.middleware.EhrFramingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
if IS_PRODUCTION:
    # WhiteNoise serves collected static files; in development runserver does it.
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.permissions.permissions",
            ],
        },
    },
]

CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)

# --- Database -------------------------------------------------------------------------------------

# WAL: readers (a login, a worklist page) never wait for a writer, and a writer waits for another writer up to the
# busy timeout (seconds) instead of failing with "database is locked" at once. IMMEDIATE: a transaction takes the
# write lock when it starts, so two writers queue rather than deadlock on upgrading a read lock (which SQLite answers
# with an immediate error); the audit chain relies on it to number events one at a time (docs/audit.md).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
}

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # PostgreSQL in production and in the PostgreSQL test leg (scripts/with-postgres).
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        # A SQLite file named by URL (the benchmarks, a small deployment) is the same database as the default one:
        # without these options it would run without WAL or IMMEDIATE, and so without what the audit chain needs.
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    # Zero set-up default for development and the first test leg.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and sessions ------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lockout: after this many failed logins for one username within the window, further logins for
# that username are refused for the window. Counted from the audit log (apps/audit, docs/audit.md).
LOGIN_LOCKOUT_ATTEMPTS = 5
LOGIN_LOCKOUT_MINUTES = 15

# Rate limits: calls a minute from one client address at each door (apps/web/ratelimit.py); 0 turns a door's limit
# off (the load test, bench/load.py, does for the API). Logins are also locked out per username (above).
RATE_LIMITS = {
    "login": env_int("RATE_LIMIT_LOGIN", 20, minimum=0),
    "api": env_int("RATE_LIMIT_API", 600, minimum=0),
    "cds_hooks": env_int("RATE_LIMIT_CDS_HOOKS", 600, minimum=0),
    # The public self-check (/check/): a person answers once or twice; a script storing codes is refused.
    "selfcheck": env_int("RATE_LIMIT_SELFCHECK", 30, minimum=0),
}
# Behind a proxy, REMOTE_ADDR is the proxy: trust the last X-Forwarded-For address only when the proxy sets it.
TRUST_X_FORWARDED_FOR = env_bool("DJANGO_TRUST_X_FORWARDED_FOR", False)

# The audit hash chain (docs/audit.md): an optional server-side key for HMAC-SHA-256; empty means plain SHA-256.
# Keep it outside the database (an environment secret), and never change it once events exist.
AUDIT_CHAIN_KEY = env_str("AUDIT_CHAIN_KEY", "")

# Idle timeout: a session ends 30 minutes after the last request, as on a shared clinic PC.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- SMART App Launch (apps/smart, docs/smart-launch.md) ------------------------------------------------------

# The EHRs that may launch SpinePrompt: JSON {"issuers": [{"iss": <FHIR base URL>, "client_id": ...,
# "client_secret": <optional>, "frame_origins": [...], "cds_issuer": <optional>}]}, inline or as a file path (the
# file wins). Without either, /smart/launch refuses every launch.
SMART_ISSUERS = env_str("SMART_ISSUERS", "")
SMART_ISSUERS_FILE = env_str("SMART_ISSUERS_FILE", "")
# Inside an EHR's frame SpinePrompt is a third-party site, and browsers send SameSite=Lax cookies to it only on
# top-level navigations: the session (and the launch's state) would be lost. Set true when an EHR frames it: the
# session and CSRF cookies become SameSite=None (and must be Secure, as they are in production; CSRF tokens still
# protect every form). Leave false when the EHR opens SpinePrompt in its own window or tab.
SMART_EMBEDDED = env_bool("SMART_EMBEDDED", False)
if SMART_EMBEDDED:
    # Partitioned too (CHIPS, apps/smart/middleware.py): kept even where third-party cookies are blocked.
    SESSION_COOKIE_SAMESITE = "None"
    CSRF_COOKIE_SAMESITE = "None"

# --- CDS Hooks (apps/cdshooks, docs/cds-hooks.md) -------------------------------------------------------------

# The CDS Clients allowed to call the services, with their public keys: JSON {"issuers": [{"iss": ..., "jwks":
# {"keys": [...]}, "jku": [...]}]} given inline or as a file path (the file wins when both are set). Without
# either, every service call gets 401. Keys are never fetched from the network (jku is only checked against the
# issuer's allowlist).
CDS_HOOKS_ISSUERS = env_str("CDS_HOOKS_ISSUERS", "")
CDS_HOOKS_ISSUERS_FILE = env_str("CDS_HOOKS_ISSUERS_FILE", "")
# The public base URL of this deployment (https://spineprompt.example.org): the JWT aud must be this plus the
# endpoint path, and card links point here. Unset: taken from the request (Host is checked by ALLOWED_HOSTS).
CDS_HOOKS_BASE_URL = env_str("CDS_HOOKS_BASE_URL", "").rstrip("/")
# Seconds of clock difference tolerated on exp and iat; tokens living longer than the maximum are refused.
CDS_HOOKS_JWT_LEEWAY_SECONDS = env_int("CDS_HOOKS_JWT_LEEWAY_SECONDS", 30, minimum=0, maximum=300)
CDS_HOOKS_JWT_MAX_LIFETIME_SECONDS = env_int("CDS_HOOKS_JWT_MAX_LIFETIME_SECONDS", 3600, minimum=60, maximum=86400)
# Timeout for each request to the CDS Client's FHIR server when prefetch is missing (then 412 if it fails).
CDS_HOOKS_FHIR_TIMEOUT_SECONDS = env_int("CDS_HOOKS_FHIR_TIMEOUT_SECONDS", 3, minimum=1, maximum=30)
# Plain-http FHIR servers are refused (patient data and a bearer token would travel in clear) unless this is
# true, for a local test server only.
CDS_HOOKS_ALLOW_HTTP_FHIR = env_bool("CDS_HOOKS_ALLOW_HTTP_FHIR", False)
if IS_PRODUCTION and CDS_HOOKS_ALLOW_HTTP_FHIR:
    raise ImproperlyConfigured("CDS_HOOKS_ALLOW_HTTP_FHIR must not be true when DJANGO_ENV=production.")
# The role whose wording the cards use: a CDS call does not say whether the user is a GP, nurse or physio.
# Browser-based CDS Clients (the public CDS Hooks sandbox, an EHR's web front end) call from another origin and need
# CORS (apps/cdshooks/cors.py): the origins allowed, comma-separated; default none. "*" is for local testing only.
CDS_HOOKS_CORS_ORIGINS = env_list("CDS_HOOKS_CORS_ORIGINS", [])
if IS_PRODUCTION and "*" in CDS_HOOKS_CORS_ORIGINS:
    raise ImproperlyConfigured('CDS_HOOKS_CORS_ORIGINS must not be "*" when DJANGO_ENV=production: name the origins.')

CDS_HOOKS_ASSESSOR_ROLE = env_str("CDS_HOOKS_ASSESSOR_ROLE", "gp", choices=("gp", "nurse", "physio"))
# Hours a prefilled assessment (the card link) stays openable.
ASSESSMENT_DRAFT_HOURS = env_int("ASSESSMENT_DRAFT_HOURS", 24, minimum=1, maximum=168)

# --- Case-finding (apps/casefinding, docs/case-finding.md) -------------------------------------------

# Runs (pseudonymous ids, groups and reasons) are deleted this many days after they were made: on every run and
# worklist page, and by `manage.py casefind_purge` from cron.
CASEFINDING_RETENTION_DAYS = env_int("CASEFINDING_RETENTION_DAYS", 30, minimum=1)
# Where uploaded extracts wait for the background import; each run's files are deleted when its import ends.
CASEFINDING_UPLOAD_DIR = env_str("CASEFINDING_UPLOAD_DIR", str(BASE_DIR / "var" / "uploads"))
# Evaluation processes a background import forks (the pipeline's pool; 1: none). More reads a region's extract
# faster but takes the cores from the web server on a small machine.
CASEFINDING_WORKERS = env_int("CASEFINDING_WORKERS", 1, minimum=1, maximum=64)
# The task backend: the database (django_tasks_db, worked by `manage.py db_worker`, which ./scripts/run starts).
# "immediate" runs each task inside the request instead (tests, or a demo with no worker).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database", choices=("database", "immediate"))
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if TASKS_BACKEND == "database"
        else "django_tasks.backends.immediate.ImmediateBackend"
    }
}
# The largest extract accepted through the upload page, in megabytes (the command line has no limit).
CASEFINDING_MAX_UPLOAD_MB = env_int("CASEFINDING_MAX_UPLOAD_MB", 50, minimum=1)

# --- Security headers (production) ----------------------------------------------------------------

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = True
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
        # Only behind a proxy that sets this header itself; otherwise clients could spoof HTTPS.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Internationalisation -------------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
# Patient resources (apps/resources) are translatable: a language is added with locale/<code>/LC_MESSAGES/django.po
# and its compiled .mo (docs/resources.md). No LocaleMiddleware: the language is chosen per page with ?lang=.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed files need `collectstatic`; development and tests use plain storage.
    "staticfiles": {
        "BACKEND": (
            "config.storage.StaticStorage" if IS_PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Logging --------------------------------------------------------------------------------------

# Logs go to stderr for the platform to collect. Patient-identifiable data (names, NHS numbers,
# dates of birth, free-text clinical notes or reports) must never be logged: log ids and outcomes.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "{asctime} {levelname} {name} {message}", "style": "{"},
    },
    "filters": {
        # A database that is away is one line per request (503), not a traceback each (apps/web/errors.py).
        "database_away": {"()": "apps.web.errors.DatabaseAwayFilter"},
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "plain",
            "filters": ["database_away"],
        },
    },
    "root": {
        "handlers": ["stderr"],
        "level": env_str("DJANGO_LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
    },
    # fhirclient (the SMART launch) logs the launch context at DEBUG, the patient id and id_token included, and
    # warns on every id_token (which apps/smart checks itself): never below ERROR, whatever DJANGO_LOG_LEVEL says.
    "loggers": {"fhirclient": {"level": "ERROR"}},
}
