"""Larder settings: every value comes from the environment, with embedded defaults.

With nothing set, Larder runs on SQLite with blobs and a filesystem broker under ./data/.
"""

from pathlib import Path

import dj_database_url

from repository.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("LARDER_DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = env_bool("LARDER_DEBUG", False)
SECRET_KEY = env_str("LARDER_SECRET_KEY") or "insecure-embedded-default-set-LARDER_SECRET_KEY"
ALLOWED_HOSTS = env_list("LARDER_ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("LARDER_CSRF_TRUSTED_ORIGINS")

# Absolute base URL clients reach Larder at; empty means "the host the client used".
LARDER_PUBLIC_URL = env_str("LARDER_PUBLIC_URL").rstrip("/")
# Honour X-Forwarded-Host/-Proto from a trusted load balancer.
LARDER_TRUST_PROXY = env_bool("LARDER_TRUST_PROXY", False)
if LARDER_TRUST_PROXY:
    USE_X_FORWARDED_HOST = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_celery_beat",
    "csp",
    "repository",
    "formats.pypi",
    "formats.npm",
    "formats.generic",
]

MIDDLEWARE = [
    "repository.observability.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "repository.ui.security.SecureCookiesMiddleware",
    "repository.ui.static.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "repository.access.credentials.CredentialsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "repository.urls"
WSGI_APPLICATION = "repository.wsgi.application"
APPEND_SLASH = False

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
                "repository.ui.context.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'larder.sqlite3'}",
        conn_max_age=env_int("LARDER_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers and a Celery worker share the file: wait for locks, don't fail.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("LARDER_CACHE_PREFIX", "larder"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sign-in -----------------------------------------------------------------------------
# Local passwords for everyone ("all") or for superusers only ("superusers"), once everyone
# else signs in through LDAP or OIDC.
LARDER_LOCAL_LOGIN = env_str("LARDER_LOCAL_LOGIN", "all")
if LARDER_LOCAL_LOGIN not in ("all", "superusers"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"LARDER_LOCAL_LOGIN={LARDER_LOCAL_LOGIN!r}: use all or superusers")
AUTHENTICATION_BACKENDS = ["repository.access.backends.LocalPasswordBackend"]

# LDAP (django-auth-ldap, an optional extra: python-ldap is imported only when configured).
LARDER_LDAP_SERVER_URI = env_str("LARDER_LDAP_SERVER_URI")
# Seconds a directory user's tokens keep working after the directory drops them.
LARDER_LDAP_RECHECK_SECONDS = env_int("LARDER_LDAP_RECHECK_SECONDS", 60)
if LARDER_LDAP_SERVER_URI:
    from repository.access.ldapconfig import configure as _ldap_settings

    globals().update(_ldap_settings())
    AUTHENTICATION_BACKENDS.append("repository.access.ldapbackend.DirectoryBackend")

# OpenID Connect (mozilla-django-oidc): the code flow with PKCE.
LARDER_OIDC_PROVIDER_NAME = env_str("LARDER_OIDC_PROVIDER_NAME")
LARDER_OIDC_GROUPS_CLAIM = env_str("LARDER_OIDC_GROUPS_CLAIM", "groups")
LARDER_OIDC_USERNAME_CLAIM = env_str("LARDER_OIDC_USERNAME_CLAIM", "preferred_username")
LARDER_OIDC_SUPERUSER_GROUP = env_str("LARDER_OIDC_SUPERUSER_GROUP")
LARDER_OIDC_END_SESSION_ENDPOINT = env_str("LARDER_OIDC_END_SESSION_ENDPOINT")
OIDC_RP_CLIENT_ID = env_str("LARDER_OIDC_CLIENT_ID")
if OIDC_RP_CLIENT_ID:
    from repository.access.oidcconfig import configure as _oidc_settings

    globals().update(_oidc_settings())
    LARDER_OIDC_PROVIDER_NAME = LARDER_OIDC_PROVIDER_NAME or "single sign-on"
    AUTHENTICATION_BACKENDS.append("repository.access.oidcbackend.ProviderBackend")
else:
    LARDER_OIDC_PROVIDER_NAME = ""

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# --- Security headers (Django's own: nosniff, Referrer-Policy, X-Frame-Options; CSP from
# django-csp). The UI has no inline script or style, so the policy allows none.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # README images may live elsewhere.
        "img-src": ["'self'", "data:", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Cookies: HttpOnly always; Secure when Larder is reached over TLS (an https public URL, or
# per request behind a trusted proxy that says https: repository/ui/security.py).
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LARDER_PUBLIC_URL.startswith("https://")

# The UI's stylesheet and script are served by WhiteNoise from the source folders
# (repository/ui/static.py); no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True

# Blob store: "filesystem" (default) or "s3".
LARDER_BLOB_BACKEND = env_str("LARDER_BLOB_BACKEND") or (
    "s3" if env_str("LARDER_S3_BUCKET") else "filesystem"
)
LARDER_BLOB_DIR = Path(env_str("LARDER_BLOB_DIR", str(DATA_DIR / "blobs")))
LARDER_S3_BUCKET = env_str("LARDER_S3_BUCKET")
LARDER_S3_ENDPOINT_URL = env_str("LARDER_S3_ENDPOINT_URL")
LARDER_S3_REGION = env_str("LARDER_S3_REGION", "us-east-1")
LARDER_S3_ACCESS_KEY_ID = env_str("LARDER_S3_ACCESS_KEY_ID")
LARDER_S3_SECRET_ACCESS_KEY = env_str("LARDER_S3_SECRET_ACCESS_KEY")
LARDER_S3_PREFIX = env_str("LARDER_S3_PREFIX")
# Answer downloads with a redirect to a presigned URL instead of streaming through Larder.
LARDER_S3_REDIRECT = env_bool("LARDER_S3_REDIRECT", False)
LARDER_S3_PRESIGN_SECONDS = env_int("LARDER_S3_PRESIGN_SECONDS", 300)
# When nginx fronts Larder: answer downloads with X-Accel-Redirect to this internal prefix.
LARDER_ACCEL_REDIRECT_PREFIX = env_str("LARDER_ACCEL_REDIRECT_PREFIX")

# Uploads larger than this are refused mid-stream (bytes).
LARDER_MAX_UPLOAD_BYTES = env_int("LARDER_MAX_UPLOAD_BYTES", 10 * 1024**3)
# npm publishes arrive as one JSON body with the tarball inside: a separate, smaller limit.
LARDER_NPM_MAX_BODY_BYTES = env_int("LARDER_NPM_MAX_BODY_BYTES", 256 * 1024**2)
# Failed sign-ins (UI login, HTTP Basic, unknown tokens) before a client address or a user
# name is locked out, within a window; and how long the lockout lasts (429 + Retry-After).
LARDER_LOGIN_FAILURES_PER_ADDRESS = env_int("LARDER_LOGIN_FAILURES_PER_ADDRESS", 30)
LARDER_LOGIN_FAILURES_PER_USER = env_int("LARDER_LOGIN_FAILURES_PER_USER", 10)
LARDER_LOGIN_FAILURE_WINDOW_SECONDS = env_int("LARDER_LOGIN_FAILURE_WINDOW_SECONDS", 900)
LARDER_LOGIN_LOCKOUT_SECONDS = env_int("LARDER_LOGIN_LOCKOUT_SECONDS", 300)
# Let `npm adduser` create Larder users; off unless an admin turns it on.
LARDER_SELF_REGISTRATION = env_bool("LARDER_SELF_REGISTRATION", False)
# Seconds clients may reuse index documents unchecked. 0: every install revalidates with its
# ETag (a cheap 304), so a publish is visible to the very next install.
LARDER_INDEX_MAX_AGE = env_int("LARDER_INDEX_MAX_AGE", 0)
# Bytes of rendered index documents each web process keeps in memory (validated per request).
LARDER_DOCUMENT_CACHE_BYTES = env_int("LARDER_DOCUMENT_CACHE_BYTES", 64 * 1024**2)
# Longest a web process reuses a repository, package or asset row it validated by its stamp
# (repository/cache/rows.py); only matters if a write's notice was lost.
LARDER_HOT_CACHE_SECONDS = env_int("LARDER_HOT_CACHE_SECONDS", 30)
# Seconds shared caches in front (a CDN, nginx's proxy_cache) may keep a public file
# before asking Larder again (s-maxage); clients keep files for a year.
LARDER_SHARED_CACHE_SECONDS = env_int("LARDER_SHARED_CACHE_SECONDS", 60)
# Seconds shared caches in front may keep a public repository's index pages and packuments
# (s-maxage). 0: none may, so a publish is visible to the very next install through them.
LARDER_SHARED_INDEX_SECONDS = env_int("LARDER_SHARED_INDEX_SECONDS", 0)
# Seconds a web process adds up downloads before sending the counts to Redis (0: at once).
LARDER_DOWNLOAD_COUNT_SECONDS = env_int("LARDER_DOWNLOAD_COUNT_SECONDS", 1)

FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024**2
DATA_UPLOAD_MAX_MEMORY_SIZE = None
FILE_UPLOAD_TEMP_DIR = env_str("LARDER_TMP_DIR") or None

# Celery: Redis in production; a filesystem broker under ./data/ embedded (no Redis needed).
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
else:
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("LARDER_TASKS_EAGER", False)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Default schedules; beat copies them into the database, where admins may edit them.
CELERY_BEAT_SCHEDULE = {
    "flush-download-counts": {
        "task": "repository.tasks.flush_downloads",
        "schedule": env_int("LARDER_DOWNLOAD_FLUSH_SECONDS", 60),
    },
    "blob-garbage-collection": {
        "task": "repository.tasks.collect_blob_garbage",
        "schedule": env_int("LARDER_GC_INTERVAL_SECONDS", 3600),
    },
    "purge-trash": {
        "task": "repository.retention.tasks.purge_trash",
        "schedule": env_int("LARDER_TRASH_PURGE_INTERVAL_SECONDS", 3600),
    },
    "storage-snapshots": {
        "task": "repository.retention.tasks.snapshot_storage",
        "schedule": env_int("LARDER_STORAGE_SNAPSHOT_INTERVAL_SECONDS", 24 * 3600),
    },
}
# Unreferenced blobs younger than this are never collected (uploads in flight).
LARDER_GC_GRACE_SECONDS = env_int("LARDER_GC_GRACE_SECONDS", 24 * 3600)
CELERY_TIMEZONE = "UTC"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "repository.access.drf.LarderAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "repository.api.renderers.StyledBrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {
        "request_id": {"()": "repository.observability.logging.RequestIdFilter"},
        "redact": {"()": "repository.observability.redaction.RedactSecretsFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LARDER_LOG_LEVEL", "INFO")},
}
