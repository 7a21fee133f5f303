"""One settings module, driven by environment variables (see docs/operations.md)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("YIWANG_DATA_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("YIWANG_DEBUG", False)
SECRET_KEY = os.environ.get("YIWANG_SECRET_KEY", "insecure-demo-key-change-me-in-production-0123456789")
ALLOWED_HOSTS = os.environ.get("YIWANG_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("YIWANG_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("YIWANG_BEHIND_TLS_PROXY") else None

INSTALLED_APPS = [
    "yiwang.web",  # first: its templates override the admin's (language switcher)
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "yiwang.core",
    "yiwang.core.audit",
    "yiwang.core.workcal",
    "yiwang.core.notify",
    "yiwang.core.uploads",
    "yiwang.territory",
    "yiwang.reviews",
    "yiwang.operations",
    "yiwang.operations.open311",
    "yiwang.sensing",
    "yiwang.sensing.alerts",
    "yiwang.sensing.flood",
    "yiwang.services",
    "yiwang.services.catalogue",
    "yiwang.services.licences",
    "yiwang.services.applications",
    "yiwang.services.kiosk",
    "yiwang.services.bundles",
    "yiwang.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.web.context.site",
                "yiwang.core.workcal.context.coverage_banner",
                "yiwang.services.kiosk.elder.elder_mode",
            ],
        },
    }
]

# --- database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so -------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'yiwang.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_db), conn_max_age=600, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = None  # one persistent connection per worker
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
            " PRAGMA cache_size=-64000; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# Django's ModelBackend and database sessions, each request's user and session read by a plain prepared
# statement (no ORM compilation); logout and revocation as Django's (docs/architecture.md, sessions)
AUTHENTICATION_BACKENDS = ["yiwang.core.identity.backends.ModelBackend"]
SESSION_ENGINE = "yiwang.core.identity.sessions"
# a user's role assignments kept per process this long (cleared at once in the process that changes them)
PERMISSIONS = {"ROLE_SECONDS": float(os.environ.get("YIWANG_ROLE_SECONDS", 5))}
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- identity: optional OIDC provider (staff and residents) ------------------------------------
OIDC = {
    "ISSUER": os.environ.get("YIWANG_OIDC_ISSUER", ""),
    "CLIENT_ID": os.environ.get("YIWANG_OIDC_CLIENT_ID", ""),
    "CLIENT_SECRET": os.environ.get("YIWANG_OIDC_CLIENT_SECRET", ""),
    # OIDC "acr" values mapped to our assurance levels
    "ACR_MAP": {"urn:gov:sso": "gov_sso", "urn:id:card": "id_card"},
    "DEFAULT_ASSURANCE": os.environ.get("YIWANG_OIDC_DEFAULT_ASSURANCE", "gov_sso"),
    # the claim holding a verified resident ID number (used only at assurance id_card or stronger)
    "ID_NUMBER_CLAIM": os.environ.get("YIWANG_OIDC_ID_NUMBER_CLAIM", "id_number"),
    "SCOPES": os.environ.get("YIWANG_OIDC_SCOPES", "openid profile"),
}
# ID-card reader at windows and kiosks: dotted path of a yiwang.core.identity.cardreader.CardReader ("" = none)
IDENTITY = {"CARD_READER": os.environ.get("YIWANG_CARD_READER", "")}
# system administrators do not see residents' personal data unless the deployment says so
PRIVACY = {"ADMINS_SEE_PERSONAL_DATA": env_bool("YIWANG_ADMINS_SEE_PERSONAL_DATA", False)}

# --- i18n and time ----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("YIWANG_TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- work calendar ----------------------------------------------------------------------------
WORKCAL = {
    # office hours as (start, end) pairs, local time
    "OFFICE_HOURS": os.environ.get("YIWANG_OFFICE_HOURS", "08:30-12:00,13:00-17:30"),
    "COVERAGE_WARNING_DAYS": 60,
}

# --- city operations (一网统管) ----------------------------------------------------------------
OPERATIONS = {
    "WARNING_SHARE": float(os.environ.get("YIWANG_OPS_WARNING_SHARE", 0.75)),  # warn at this share of a deadline
    "REOPEN_WINDOW_DAYS": int(os.environ.get("YIWANG_OPS_REOPEN_WINDOW_DAYS", 7)),
    "ESCALATE_EVERY_HOURS": float(os.environ.get("YIWANG_OPS_ESCALATE_EVERY_HOURS", 8)),  # working hours per level
    "CODE_PREFIX": os.environ.get("YIWANG_OPS_CODE_PREFIX", "YW"),
}

# --- Open311 GeoReport v2 (yiwang.operations.open311; docs/api.md) -------------------------------
OPEN311 = {
    "JURISDICTION_ID": os.environ.get("YIWANG_OPEN311_JURISDICTION_ID", "yiwang"),
    "CONTACT": os.environ.get("YIWANG_OPEN311_CONTACT", ""),
    "KEY_SERVICE": os.environ.get("YIWANG_OPEN311_KEY_SERVICE", ""),
    "COORD_SYSTEM": os.environ.get("YIWANG_OPEN311_COORD_SYSTEM", "wgs84"),  # of lat/long sent by clients
    # "queued": POSTs of token keys are queued and registered in batches by `yiwang worker` (docs/api.md)
    "INTAKE": os.environ.get("YIWANG_OPEN311_INTAKE", "direct"),
}

# --- static and media -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": os.environ.get("YIWANG_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
UPLOADS = {
    "MAX_BYTES": int(os.environ.get("YIWANG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)),
    "MAX_IMAGE_PIXELS": 40_000_000,
    "IMAGE_MAX_SIDE": 2560,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 30 * 1024 * 1024
# S3-compatible object storage for uploads (django-storages; docs/operations.md "Uploads and file storage")
if os.environ.get("YIWANG_S3_BUCKET"):
    _s3 = {
        "bucket_name": os.environ["YIWANG_S3_BUCKET"],
        "endpoint_url": os.environ.get("YIWANG_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("YIWANG_S3_REGION") or None,
        "file_overwrite": False,
        "default_acl": None,  # objects stay private; URLs are signed and expire
        "querystring_auth": True,
        "querystring_expire": int(os.environ.get("YIWANG_S3_URL_EXPIRE_SECONDS", 3600)),
    }
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3}
    if os.environ.get("YIWANG_S3_PRIVATE_BUCKET"):  # originals of uploads in a bucket of their own
        STORAGES["uploads_private"] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**_s3, "bucket_name": os.environ["YIWANG_S3_PRIVATE_BUCKET"]},
        }
        UPLOADS["PRIVATE_STORAGE"] = "uploads_private"

# --- map --------------------------------------------------------------------------------------
MAP = {
    # no tile server by default: grid polygons are drawn on a plain background
    "TILE_URL": os.environ.get("YIWANG_TILE_URL", ""),
    "TILE_ATTRIBUTION": os.environ.get("YIWANG_TILE_ATTRIBUTION", ""),
}

# --- territory --------------------------------------------------------------------------------
TERRITORY = {
    # overlaps and gaps between sibling units of levels 2–3, and a child outside its parent, are errors
    # only beyond this area (square metres)
    "TOLERANCE_M2": float(os.environ.get("YIWANG_TERRITORY_TOLERANCE_M2", 1.0)),
    # how often (seconds) a process checks the territory revision in the database to rebuild its index
    "REVISION_CHECK_SECONDS": float(os.environ.get("YIWANG_TERRITORY_REVISION_CHECK_SECONDS", 1.0)),
}


def _leaflet_static_dirs() -> list:
    import xstatic.pkg.leaflet  # the Leaflet files ship in the xstatic-leaflet wheel

    return [("leaflet", xstatic.pkg.leaflet.BASE_DIR)]


STATICFILES_DIRS = [*_leaflet_static_dirs()]

# --- notifications ----------------------------------------------------------------------------
NOTIFY = {
    "ADAPTERS": {
        "sms": os.environ.get("YIWANG_SMS_ADAPTER", "yiwang.core.notify.adapters.LogAdapter"),
        "email": os.environ.get("YIWANG_EMAIL_ADAPTER", "yiwang.core.notify.adapters.EmailAdapter"),
        "inapp": "yiwang.core.notify.adapters.InAppAdapter",
    },
    "PUBLIC_BASE_URL": os.environ.get("YIWANG_PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
}
EMAIL_BACKEND = os.environ.get("YIWANG_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# --- background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env_bool("YIWANG_TASKS_IMMEDIATE"):
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# --- personal data retention (days) per class -------------------------------------------------
RETENTION_DAYS = {
    "contact": int(os.environ.get("YIWANG_RETENTION_CONTACT_DAYS", 3 * 365)),
    "identity": int(os.environ.get("YIWANG_RETENTION_IDENTITY_DAYS", 5 * 365)),
    "location": int(os.environ.get("YIWANG_RETENTION_LOCATION_DAYS", 3 * 365)),
    "notification": int(os.environ.get("YIWANG_RETENTION_NOTIFICATION_DAYS", 365)),
}

if os.environ.get("YIWANG_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["YIWANG_TEST_DB_NAME"]}

# --- sensing (IoT ingestion) -------------------------------------------------------------------
SENSING = {
    "MQTT_HOST": os.environ.get("YIWANG_MQTT_HOST", "127.0.0.1"),
    "MQTT_PORT": int(os.environ.get("YIWANG_MQTT_PORT", 1883)),
    "MQTT_USERNAME": os.environ.get("YIWANG_MQTT_USERNAME", "yiwang-ingest"),
    "MQTT_PASSWORD": os.environ.get("YIWANG_MQTT_PASSWORD", ""),
    "RAW_RETENTION_DAYS": int(os.environ.get("YIWANG_SENSING_RAW_RETENTION_DAYS", 90)),
    "OFFLINE_AFTER_INTERVALS": float(os.environ.get("YIWANG_SENSING_OFFLINE_AFTER_INTERVALS", 3)),
    "MAX_FUTURE_SECONDS": int(os.environ.get("YIWANG_SENSING_MAX_FUTURE_SECONDS", 300)),
    "BATCH_SIZE": int(os.environ.get("YIWANG_SENSING_BATCH_SIZE", 2000)),
    "BATCH_WAIT_SECONDS": float(os.environ.get("YIWANG_SENSING_BATCH_WAIT_SECONDS", 0.05)),
}

# --- licences (电子证照库): the secret that seals signing keys and tokens and keys the holder hash.
# Set it apart from SECRET_KEY and never change it without re-sealing (docs/services-licences.md).
YIWANG_LICENCE_KEY_SECRET = os.environ.get("YIWANG_LICENCE_KEY_SECRET", "")

AUDIT = {"CHAINS": int(os.environ.get("YIWANG_AUDIT_CHAINS", 16)), "ALGORITHM": "sha256"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YIWANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_NAME = _("yiwang · One Network")
