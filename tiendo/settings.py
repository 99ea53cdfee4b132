"""Settings for tiendo, read from the environment.

With no environment at all, tiendo runs the embedded default: an SQLite file in
``data/`` and DEBUG off (turn it on with DEBUG=1). ``TIENDO_ENV=production`` switches on the
hardening that ``manage.py check --deploy`` expects; it then refuses to start without
a real secret key and allowed hosts.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tiendo.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("TIENDO_DATA_DIR", str(BASE_DIR / "data")))

ENVIRONMENT = env_str("TIENDO_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"TIENDO_ENV={ENVIRONMENT!r}: use development, production or test")
PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"  # noqa: S105 - refused in production
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs SECRET_KEY: a random string of at least 50 characters")

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated host names)")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "tiendo.web",
    "tiendo.audit",
    "tiendo.orgs",
    "tiendo.accounts",
    "tiendo.plans",
    "tiendo.indicators",
    "tiendo.reporting",
    "tiendo.attachments",
    "tiendo.tasks",
    "tiendo.inspections",
    "tiendo.reviews",
    "tiendo.exchange",
    "tiendo.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tiendo.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tiendo.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tiendo.urls"
WSGI_APPLICATION = "tiendo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tiendo.reporting.context_processors.notifications",
            ],
            "builtins": ["tiendo.web.templatetags.vn"],
        },
    }
]

# --- Database: SQLite in data/ by default, PostgreSQL when DATABASE_URL says so.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # The rollup query's row estimates are far too high, so PostgreSQL would JIT-compile
        # it: ~1 s of compilation for a 0,2 s query (bench/README.md). Plain execution wins.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "tiendo.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing half-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("REDIS_URL")}}

# --- Authentication
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Tests create many users; Argon2 is deliberately slow. Production never uses this.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client address: REMOTE_ADDR unless PROXY_COUNT trusted proxies stand in front, in which
# case the address they append to X-Forwarded-For (counted from the right, so a client cannot
# forge it to escape the lock-out).
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
if PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

# --- Indicators: how far below the target (as a share of it) a running figure may
# project before its status turns to "có nguy cơ không đạt" (docs/status.md).
STATUS_AT_RISK_TOLERANCE = env_int("STATUS_AT_RISK_TOLERANCE_PERCENT", 10, minimum=0) / 100

# --- Exchange files (docs/data-formats.md): the largest file import_data reads.
EXCHANGE_MAX_BYTES = env_int("EXCHANGE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)

# --- Periodic reporting (docs/admin-guide.md): uploads of filled templates, and e-mail.
# A filled template is small; anything bigger than this is refused before it is opened.
REPORTING_UPLOAD_MAX_BYTES = env_int("REPORTING_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, minimum=1)
# The largest file attached to a task or an inspection (tiendo.attachments).
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(REPORTING_UPLOAD_MAX_BYTES, 2_621_440)
# E-mail goes to the console unless an SMTP server is set (EMAIL_HOST).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tiendo <khong-tra-loi@tiendo.local>")
# The address links in e-mails point to.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# --- Tasks: how many days before its deadline an unfinished task shows as "sắp đến hạn"
# (the Government Office's vocabulary sets no threshold; docs/admin-guide.md).
TASK_DUE_SOON_DAYS = env_int("TASK_DUE_SOON_DAYS", 7, minimum=0)

# --- Review reports: files are made in a daemon thread of the web process after the commit
# (run_jobs picks up any left queued); inline, in the request, for the tests.
REVIEW_EXPORT_INLINE = env_bool("REVIEW_EXPORT_INLINE", ENVIRONMENT == "test")


# --- Review reports (tiendo.reviews.writers): page margins in mm, "top,bottom,left,right",
# per layout. The Party's are *unverified* (a Party handbook says 25/25/35/15, another
# source 20/20/30/15); the State's sit inside Nghị định 30/2020's ranges.
def _margins_mm(name: str, default: tuple[int, int, int, int]) -> tuple[int, ...]:
    raw = env_list(name, [str(value) for value in default])
    if len(raw) != 4 or not all(item.isdigit() and 5 <= int(item) <= 60 for item in raw):
        raise ImproperlyConfigured(f"{name}={','.join(raw)!r} must be four whole millimetres 5–60: top,bottom,left,right")
    return tuple(int(item) for item in raw)


REVIEW_MARGINS_MM = {
    "party": _margins_mm("REVIEW_MARGINS_MM_PARTY", (25, 25, 35, 15)),
    "state": _margins_mm("REVIEW_MARGINS_MM_STATE", (20, 20, 30, 15)),
}

# --- Internationalisation: Vietnamese first, English available.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static files: served by the app itself through WhiteNoise, no CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": DATA_DIR / "files"}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Outside production WhiteNoise finds files in the apps directly, so tests and a fresh
# checkout need no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# --- Security. Cookies are secure behind HTTPS in production; locally plain HTTP works.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 10, minimum=1) * 3600
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "tiendo.audit.context.RequestIdLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every login at INFO; failures and lock-outs are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}
