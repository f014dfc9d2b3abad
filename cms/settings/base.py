"""Base settings for Dialog CMS: safe by default (DEBUG off, no secrets).

Environment-specific modules (dev, test, production) import from here and
change only what differs. Everything secret or host-specific comes from the
environment through django-environ; see .env.example for the full list.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# --- Tenancy ---------------------------------------------------------------
# One PostgreSQL schema per city. The public schema holds the platform: the
# list of cities and their domains, the durable task queue and the platform
# operators. Everything a city edits lives in its own schema.

SHARED_APPS = [
    "django_tenants",  # schema routing; must come first
    "tenants",  # City + Domain + the provisioning template snapshot
    "django.contrib.contenttypes",  # one content-type table shared by every city
    "django.contrib.auth",  # platform operators (cities have their own users too)
    "django.contrib.sessions",  # sessions of the platform domain
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",  # task API
    "django_tasks_db",  # durable queue: one table for all cities, tasks carry the schema
    "rest_framework",  # /api/v1/cities/ on the platform domain
    "drf_spectacular",
    "drf_spectacular_sidecar",  # OpenAPI docs assets served locally, no CDN
    "corsheaders",
    "django_filters",  # Wagtail 8 needs it installed; DRF filters use it
]

TENANT_APPS = [
    "django.contrib.auth",  # editors and moderators belong to one city
    "django.contrib.sessions",  # a session cookie of one city is unknown to another
    "django.contrib.admin",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales, per wagtail-localize docs
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "wagtail_headless_preview",  # draft snapshots for the frontend preview, per city
    "modelcluster",
    "taggit",
    "axes",  # failed-login records live per city: a lockout in one city leaves others alone
    "programmes",  # the plugin: page types, snippets, documents
    "programmes.registration",  # the plugin's registrations and applications (personal data)
    "search",  # per-city search glue
    # Two-step verification (TOTP): devices belong to the city's users.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
    "twofactor",  # the admin's code step, enrolment, DIALOG_REQUIRE_2FA
]

INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.City"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "cms.urls_public"
ROOT_URLCONF = "cms.urls_tenants"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Cities are created by cloning a migrated template schema (tenants/provisioning.py),
# never by running migrations per city.
TENANT_CREATION_FAKES_MIGRATIONS = False
# Schema that provisioning keeps migrated and clones; never a city.
DIALOG_TEMPLATE_SCHEMA = "dialog_template"
# Issue `SET search_path` once per request (django-tenants resets it whenever
# the tenant changes, on rollback and on reconnect) instead of before every
# query, which doubled the round trips of every page and API request.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "cms.logging.RequestIdMiddleware",  # first: every log line of the request carries its id
    "tenants.middleware.CityMiddleware",  # resolves Host -> city schema; unknown host -> 404
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cms.security.AdminCSPMiddleware",  # the Wagtail admin needs inline scripts
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "programmes.api.errors.RejectNulBytesMiddleware",  # NUL in a query: 400, not a DB error
    # After the city (its cache) and CORS (304s carry CORS headers), before
    # sessions and auth, which an API revalidation never needs.
    "programmes.api.caching.ApiCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "tenants.middleware.CityLanguageMiddleware",  # /en/... only where the city publishes English
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): passed the code step
    "twofactor.middleware.AdminTwoFactorMiddleware",  # admin URLs need the code step
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, per django-axes docs: turns lockouts into 429
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.city",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# --- Database --------------------------------------------------------------
# DATABASE_URL points at any PostgreSQL 15+; without it the project-local
# server started by infra/dev/postgres.sh is used (see docs/local-services.md).
DATABASES = {
    "default": env.db(
        "DATABASE_URL",
        default="postgres://dialog:dialog@127.0.0.1:54329/dialog",
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------
# Wagtail caches site root paths under fixed keys, so every key must carry the
# city's schema: django_tenants.cache.make_key prefixes it.
# Production uses a shared one (CACHE_URL=redis://…): workers share API
# answers and see publications at once (docs/operations.md); cms.cache keeps
# serving, without the cache, while Redis is unreachable.
CACHES = {
    "default": {
        **env.cache("CACHE_URL", default="locmemcache://dialog"),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cms.cache.ResilientRedisCache"
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
    # The API content version, read on every API request, is kept in the
    # process for a second in front of the shared cache (programmes.api.caching).
    CACHES["local"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "dialog-local",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
    PROGRAMMES_API_LOCAL_CACHE = "local"
    # So is the city of a host (tenants.middleware.CityMiddleware).
    TENANT_LOOKUP_CACHE = "local"

# --- Auth ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "wagtailadmin_login"
AUTHENTICATION_BACKENDS = [
    "cms.security.CityAxesBackend",  # refuses logins while locked out (django-axes)
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes). Its tables are in TENANT_APPS, so failures
# are counted in the city's schema: N failures lock out one city's login only.
AXES_FAILURE_LIMIT = env.int("DIALOG_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("DIALOG_LOGIN_COOLOFF_HOURS", default=1.0)
# Lock the (username, client address) pair: an attacker guessing one editor's
# password is stopped without letting anyone lock every editor out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "cms/lockout.html"
# Number of reverse proxies (nginx, a load balancer) in front of the app whose
# X-Forwarded-For entries are trusted; 0 = use the socket address.
DIALOG_TRUSTED_PROXY_COUNT = env.int("DIALOG_TRUSTED_PROXY_COUNT", default=0)
# Two-step verification (twofactor/, django-otp TOTP): optional per editor;
# on, every editor without an authenticator app is sent to enrol first.
DIALOG_REQUIRE_2FA = env.bool("DJANGO_REQUIRE_2FA", default=False)
# Wrong codes of a device make it wait 1, 2, 4, ... seconds (x this factor).
OTP_TOTP_THROTTLE_FACTOR = 1

# --- I18N ------------------------------------------------------------------
LANGUAGE_CODE = "pl"
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True
LANGUAGES = [
    ("pl", _("Polish")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("pl", "Polski"), ("en", "English")]
# Machine translation in the wagtail-localize editor: off unless configured
# (docs/localization.md). DeepL when DEEPL_AUTH_KEY is set, else LibreTranslate
# (or a compatible server) when LIBRETRANSLATE_URL is set.
if env("DEEPL_AUTH_KEY", default=""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
        "OPTIONS": {"AUTH_KEY": env("DEEPL_AUTH_KEY"), "TIMEOUT": 30},
    }
elif env("LIBRETRANSLATE_URL", default=""):
    WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.libretranslate.LibreTranslator",
        "OPTIONS": {
            "LIBRETRANSLATE_URL": env("LIBRETRANSLATE_URL"),
            "API_KEY": env("LIBRETRANSLATE_API_KEY", default=""),
        },
    }

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
# cms/static/ (the site's own stylesheet): "cms" is a project package, not an app.
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
# Media of each city lives under its schema name, never its domain: renaming a
# domain must not orphan files.
MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"
STORAGES = {
    "default": {"BACKEND": "tenants.storage.CityFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = "Dialog CMS"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://localhost:8000")
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Tasks -----------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "cms.tasks.CityQueueBackend",
        "QUEUES": ["default", "search"],
    }
}

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "programmes.api.schema.ApiAutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    # JSON only: one representation per URL (simple ETags); docs at /api/v1/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # {"error": {"code", "message", "details"}} for every error under /api/.
    "EXCEPTION_HANDLER": "programmes.api.errors.exception_handler",
    # Per client IP (PROGRAMMES_CLIENT_IP_CALLABLE), counted in the city's cache.
    "DEFAULT_THROTTLE_CLASSES": ["programmes.api.throttling.ApiRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env("API_THROTTLE_RATE", default="120/min"),
        "search": env("API_SEARCH_THROTTLE_RATE", default="30/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dialog CMS API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["cms.api_schema.only_public_api"],
    "DESCRIPTION": (
        "Read-only JSON API of a city's dialogue and cooperation programmes. "
        'Errors: {"error": {"code", "message", "details"}}. '
        "See docs/api.md for caching (ETag), CORS, throttling, feeds and previews."
    ),
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MeetingKindEnum": "programmes.models.MeetingPage.KIND_CHOICES",
        "MeetingStatusEnum": "programmes.models.MeetingPage.STATUS_CHOICES",
        "ProgrammeStatusEnum": "programmes.models.ProgrammePage.STATUS_CHOICES",
        "DocumentKindEnum": "programmes.documents.ProgrammeDocument.KIND_CHOICES",
    },
}
CORS_ALLOWED_ORIGINS: list[str] = []  # per-city allow-list lives on City.cors_origins
# Only the API and feeds answer cross-origin requests (tenants/cors.py decides).
CORS_URLS_REGEX = r"^/(api|feeds)/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
# Wagtail API v2: expanded HTML in rich text (links resolved), pages of up to 100.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILAPI_LIMIT_MAX = 100
# Headless preview: each city's frontend (City.frontend_url); see programmes/api/preview.py.
PROGRAMMES_PREVIEW_CLIENT_URL = "tenants.preview.client_url"
# API validators (ETag): cities on the platform domain, pages in a city.
PROGRAMMES_API_CONTENT_FINGERPRINT = "tenants.api.content_fingerprint"
# Successful API answers kept this many seconds under their ETag's key (a
# publication changes the key); 0 turns it off. See docs/api.md "Caching".
PROGRAMMES_API_RESPONSE_CACHE = env.int("API_RESPONSE_CACHE_SECONDS", default=60)
WAGTAIL_HEADLESS_PREVIEW = {"CLIENT_URLS": {}}

# --- Security defaults (production tightens further) ----------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
# No SESSION_COOKIE_DOMAIN: each city's cookie stays on its own host.
# Content-Security-Policy (django-csp). Everything from our own origin; the
# Wagtail admin still writes inline style attributes (and the preview and
# embeds use frames), see docs/operations.md "Content-Security-Policy".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *env.list("DIALOG_CSP_IMG_SRC", default=[])],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", *env.list("DIALOG_CSP_MEDIA_SRC", default=[])],
        # Video embeds (wagtail.embeds) are iframes of these players.
        "frame-src": [
            "'self'",
            *env.list(
                "DIALOG_CSP_FRAME_SRC",
                default=[
                    "https://www.youtube.com",
                    "https://www.youtube-nocookie.com",
                    "https://player.vimeo.com",
                ],
            ),
        ],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Wagtail's default avatars call gravatar.com with a hash of each editor's
# e-mail: a third party learns who edits, and the CSP would block it anyway.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Uploads ---------------------------------------------------------------
DIALOG_UPLOAD_MAX_BYTES = env.int("DIALOG_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "xlsx", "ods", "pptx", "odp", "csv"]

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- Dialog ----------------------------------------------------------------
# Page type every city's tree starts with (the plugin's portal page).
DIALOG_HOME_PAGE_MODEL = "programmes.HomePage"
# Port in Wagtail Site records (absolute URLs, previews): 80 behind nginx,
# 8000 for `make demo`.
DIALOG_SITE_PORT = env.int("DIALOG_SITE_PORT", default=80)
DIALOG_HEALTH_PROBES: list[str] = ["search.health.probe_search", "cms.health.probe_queue"]
# Hosts of the platform site (public schema): list of cities, cross-city search.
DIALOG_PLATFORM_DOMAINS = env.list("DIALOG_PLATFORM_DOMAINS", default=["localhost", "127.0.0.1"])
# Background tasks queued in a city run in that city's schema.
PROGRAMMES_TASK_CONTEXT = "tenants.task_context.SchemaTaskContext"
# Public registration forms: the client address behind the trusted proxies
# (rate limit per address and city), and (submissions, seconds) per address.
PROGRAMMES_CLIENT_IP_CALLABLE = "cms.security.client_ip"
PROGRAMMES_REGISTRATION_RATE_LIMIT = (10, 600)
WAGTAILDOCS_DOCUMENT_MODEL = "programmes.ProgrammeDocument"

# --- Search (search/, docs/search.md) --------------------------------------
# Elasticsearch when ELASTICSEARCH_URL is set (`make` exports it when Java is
# present), else PostgreSQL full-text search over the same normalised text.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_BACKEND = env("SEARCH_BACKEND", default="elasticsearch" if ELASTICSEARCH_URL else "postgres")
# Index names are <prefix>-<schema>; one prefix per installation sharing a cluster.
SEARCH_INDEX_PREFIX = env("DIALOG_SEARCH_PREFIX", default="dialog")
SEARCH_NUMBER_OF_REPLICAS = env.int("SEARCH_NUMBER_OF_REPLICAS", default=0)
# Indexing retries while the backend is down: 5 s, 10 s, ... capped at 5 min,
# 30 attempts (~2 h); pending updates are kept in the database after that too.
SEARCH_RETRY_BASE_DELAY = env.float("SEARCH_RETRY_BASE_DELAY", default=5)
SEARCH_RETRY_MAX_DELAY = env.float("SEARCH_RETRY_MAX_DELAY", default=300)
SEARCH_RETRY_MAX_ATTEMPTS = env.int("SEARCH_RETRY_MAX_ATTEMPTS", default=30)
# Search results change when the worker has indexed a change, which is after
# the content version behind the API's ETags moved on: a search answer must
# not be revalidated against it (search/api.py sets a short max-age instead).
PROGRAMMES_API_CACHE_EXCLUDE = ("/api/v1/preview/", "/api/v1/search/")
