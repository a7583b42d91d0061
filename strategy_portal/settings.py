"""Settings for Strategiportalen, read from the environment.

Production differs from development only by environment variables (documented in the
README and in `.env.example`). With no DATABASE_URL the portal runs on an embedded
SQLite file in `data/`, so the quick start needs no database server.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A boolean variable: only true/false (or 1/0, yes/no) are accepted, anything else fails."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"true", "1", "yes", "on"}:
        return True
    if value in {"false", "0", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production set SECRET_KEY (see .env.example); "
            "on a development machine run with DEBUG=true, e.g. "
            "`DEBUG=true .venv/bin/python manage.py makemigrations --check`."
        )
    # Development only: a random key kept in the data folder so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key_file = DATA_DIR / "dev-secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "apps.core.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "import_export",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "apps.core",
    "apps.organisation",
    "apps.accounts",
    "apps.strategy",
    "apps.supervisors",
    "apps.trainees",
    "apps.placements",
    "apps.kpis",
    "apps.alerts",
    "apps.survey",
    "apps.dashboards",
    "apps.reports",
    "apps.imports",
    "apps.api",
    "apps.privacy",
    "apps.scheduling",
    "apps.monitoring",
    "apps.demo",
]

MIDDLEWARE = [
    "apps.monitoring.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "apps.core.middleware.CorrelationIdMiddleware",
    "apps.core.middleware.ApiJsonErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "apps.accounts.middleware.SessionLifetimeMiddleware",
    "apps.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.accounts.middleware.ScopeMiddleware",
    "apps.core.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
    "apps.core.middleware.NulByteMiddleware",
]

ROOT_URLCONF = "strategy_portal.urls"
WSGI_APPLICATION = "strategy_portal.wsgi.application"
ASGI_APPLICATION = "strategy_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
# A request that fails leaves nothing half-written: each request is one transaction.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Behind PgBouncer in transaction pooling, named cursors (.iterator()) cannot outlive a
# transaction: set DATABASE_DISABLE_SERVER_SIDE_CURSORS=true there (docs/deployment.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(
    "DATABASE_DISABLE_SERVER_SIDE_CURSORS", False
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 20}
SILENCED_SYSTEM_CHECKS: list[str] = []
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The local SQLite database cannot enforce a quota's NULLS NOT DISTINCT uniqueness;
    # model validation (full_clean in the services) still checks it, PostgreSQL enforces it.
    SILENCED_SYSTEM_CHECKS.append("models.W047")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "apps.accounts.password_validation.RepeatedCharactersValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True
# One Danish date and date-time format everywhere ("15.12.2026", "15.12.2026 kl. 15:41"); the
# same as apps.core.formatting.format_date/format_datetime.
FORMAT_MODULE_PATH = ["strategy_portal.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded spreadsheets are kept in PostgreSQL (imports.ImportUpload) until their check has
# read them, so web and worker processes share no local disk.
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if env_bool("TASKS_IMMEDIATE", False)
        else "django_tasks_db.DatabaseBackend"
    }
}

_MAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "strategiportalen@localhost")

# Sessions: idle timeout (sliding) and an absolute lifetime checked by middleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"

# Login throttling (apps/accounts/lockout.py): a username+IP pair is locked after
# AXES_FAILURE_LIMIT failures for AXES_COOLOFF_MINUTES, so a colleague behind the same NAT is
# never locked out by someone else's typing; a username is locked from every IP after
# AXES_USERNAME_FAILURE_LIMIT failures within AXES_USERNAME_COOLOFF_MINUTES (distributed
# guessing), and the municipality's admins and ADMIN_EMAILS are alerted when that happens.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_PAIR_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_USERNAME_FAILURE_LIMIT = env_int("AXES_USERNAME_FAILURE_LIMIT", 20)
AXES_USERNAME_COOLOFF_MINUTES = env_int("AXES_USERNAME_COOLOFF_MINUTES", 60)
if AXES_USERNAME_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_USERNAME_FAILURE_LIMIT must be at least AXES_FAILURE_LIMIT")
# Attempts are kept as long as the longer of the two windows; each lock applies its own.
AXES_COOLOFF_TIME = max(AXES_PAIR_COOLOFF_MINUTES, AXES_USERNAME_COOLOFF_MINUTES) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "apps.accounts.lockout.PortalAxesHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Behind N reverse proxies the client is the N-th address from the right in X-Forwarded-For;
# with 0 (no proxy) REMOTE_ADDR is used and the header is ignored, so it cannot be spoofed.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "apps.accounts.security.client_ip"

# Monitoring (apps.monitoring): /metrics answers only these client addresses or networks (the
# client as apps.accounts.security.client_ip sees it: REMOTE_ADDR, or behind
# TRUSTED_PROXY_COUNT proxies the address the outermost trusted proxy saw).
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", "127.0.0.1,::1")
# Load balancers probe over plain HTTP on the private network; the probes hold no data.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Single sign-on with Microsoft Entra ID (OpenID Connect, code flow with PKCE); local login
# stays. Endpoints default to the Entra tenant's; OIDC_GROUP_MAP maps group ids to roles.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_TENANT_ID = env_str("OIDC_TENANT_ID")
_ENTRA = f"https://login.microsoftonline.com/{OIDC_TENANT_ID}"
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", f"{_ENTRA}/oauth2/v2.0/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", f"{_ENTRA}/oauth2/v2.0/token")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", f"{_ENTRA}/discovery/v2.0/keys")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", f"{_ENTRA}/v2.0")
OIDC_OP_USER_ENDPOINT = env_str(
    "OIDC_OP_USER_ENDPOINT", "https://graph.microsoft.com/oidc/userinfo"
)
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile email"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = 10
OIDC_CREATE_USER = True
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_GROUP_MAP = env_str("OIDC_GROUP_MAP", "{}")
if OIDC_ENABLED:
    if not (OIDC_TENANT_ID and OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET):
        raise ImproperlyConfigured(
            "OIDC_ENABLED needs OIDC_TENANT_ID, OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET"
        )
    AUTHENTICATION_BACKENDS.append("apps.accounts.oidc.EntraIdBackend")

# Two-factor login (TOTP): required for administrators, optional for everyone else.
TOTP_REQUIRED_FOR_ADMINS = env_bool("TOTP_REQUIRED_FOR_ADMINS", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Strategiportalen")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Trying the production configuration on one machine over plain http (never in production):
# the cookies lose Secure and their __Host- prefix, HTTPS is not enforced and `check --deploy`
# warns (portal.W001), so the production checklist fails while it is on. Loopback hosts only.
INSECURE_LOCAL_HTTP = env_bool("INSECURE_LOCAL_HTTP", False)
if INSECURE_LOCAL_HTTP and not DEBUG:
    _not_local = [h for h in ALLOWED_HOSTS if h not in {"localhost", "127.0.0.1", "[::1]"}]
    if _not_local:
        raise ImproperlyConfigured(
            "INSECURE_LOCAL_HTTP=true is for trying the portal on this machine only; "
            f"ALLOWED_HOSTS may then only hold localhost, 127.0.0.1 or [::1], not {_not_local}"
        )

if not DEBUG and not INSECURE_LOCAL_HTTP:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if not SECURE_HSTS_PRELOAD:
        # The operator chose to keep the domain off browsers' preload lists (documented in
        # README/SECURITY.md); Django's reminder about preload is then not a finding.
        SILENCED_SYSTEM_CHECKS.append("security.W021")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation_id": {"()": "apps.core.middleware.CorrelationIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["correlation_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; the reports need only its warnings.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Days an import's row details (names, ids, old/new values) are kept for preview and undo.
IMPORT_ROWS_RETENTION_DAYS = env_int("IMPORT_ROWS_RETENTION_DAYS", 90)
# An xlsx sheet is read in a child process with this much address space and CPU time.
IMPORT_READER_MEMORY_MB = env_int("IMPORT_READER_MEMORY_MB", 1536)
IMPORT_READER_SECONDS = env_int("IMPORT_READER_SECONDS", 300)
# A running check of a file silent this long is failed (imports watchdog); one whose worker
# died is first run again by the task recovery (TASK_RECOVERY_* below).
IMPORT_CHECK_STALE_MINUTES = env_int("IMPORT_CHECK_STALE_MINUTES", 10)

# When the task worker runs the nightly chain (retention, audit purge, KPI recompute).
NIGHTLY_HOUR = env_int("NIGHTLY_HOUR", 2)
# Tasks left RUNNING by a worker process that died (apps.scheduling.recovery, run by
# `manage.py task_worker`): requeued up to TASK_RECOVERY_MAX_ATTEMPTS tries, checked at
# each worker's start and every TASK_RECOVERY_INTERVAL_SECONDS, when each worker also records
# its heartbeat. A worker on any host whose heartbeat is older than
# TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS is taken for dead. Tasks listed in
# TASK_RECOVERY_NEVER_REQUEUE are only failed, never run twice (none today: the import
# preview starts again from the start and keeps its upload until it has its outcome).
TASK_RECOVERY_INTERVAL_SECONDS = env_int("TASK_RECOVERY_INTERVAL_SECONDS", 15)
TASK_RECOVERY_MAX_ATTEMPTS = env_int("TASK_RECOVERY_MAX_ATTEMPTS", 3)
TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS = env_int("TASK_WORKER_HEARTBEAT_TIMEOUT_SECONDS", 120)
TASK_RECOVERY_NEVER_REQUEUE: list[str] = []

# Data protection: how long look-up audit events are kept, and the retention switch.
AUDIT_LOOKUP_RETENTION_MONTHS = env_int("AUDIT_LOOKUP_RETENTION_MONTHS", 12)
# A personal API token is refused this many days after it was issued.
API_TOKEN_LIFETIME_DAYS = env_int("API_TOKEN_LIFETIME_DAYS", 365)

# List exports with more rows than this are built by the task worker, not in the request;
# their download link works for the requester only and expires after EXPORT_LINK_HOURS.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 2000)
EXPORT_LINK_HOURS = env_int("EXPORT_LINK_HOURS", 24)

ADMINS = env_list("ADMIN_EMAILS")
