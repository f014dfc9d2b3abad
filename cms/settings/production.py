"""Production: everything from the environment. See .env.example for every key.

Runs behind nginx (TLS terminated there or at a load balancer, which sets
X-Forwarded-Proto). ``manage.py check --deploy`` passes with these settings
(``make check`` runs it).
"""

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
# Old keys still accepted for signed data (sessions, password-reset links)
# while a new DJANGO_SECRET_KEY rolls out; see docs/operations.md.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Release identifier (image tag or git describe), recorded in backup manifests.
DIALOG_RELEASE = env("DIALOG_RELEASE", default="")

# --- Database ----------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# --- HTTPS and headers ---------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load-balancer probes speak plain HTTP to the app servers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 3600)
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's page preview renders the page in an iframe of the admin, on the
    # same origin: DENY would break previews.
    "security.W019",
    # Preloading HSTS is a one-way decision for each operator's domain
    # (DJANGO_SECURE_HSTS_PRELOAD=true opts in).
    "security.W021",
]
# Where browsers send CSP violation reports (optional), e.g. a Sentry endpoint.
_csp_report_uri = env("DIALOG_CSP_REPORT_URI", default="")
if _csp_report_uri:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [_csp_report_uri]

# --- Proxies and login throttling -------------------------------------------------
# nginx in front of gunicorn = 1; a load balancer in front of nginx = 2.
DIALOG_TRUSTED_PROXY_COUNT = env.int("DIALOG_TRUSTED_PROXY_COUNT", default=1)

# --- Media -------------------------------------------------------------------
# filesystem: MEDIA_ROOT/<schema>/ served by nginx (one app server, or a shared
# volume). s3: any S3-compatible bucket, keys prefixed by <AWS_LOCATION>/<schema>/.
MEDIA_BACKEND = env("MEDIA_BACKEND", default="filesystem")
if MEDIA_BACKEND == "s3":
    _s3_domain = env("AWS_S3_CUSTOM_DOMAIN", default="") or None
    STORAGES = {
        "default": {
            "BACKEND": "tenants.storage.CityS3Storage",
            "OPTIONS": {
                "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
                "region_name": env("AWS_S3_REGION_NAME", default="") or None,
                "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
                "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
                "custom_domain": _s3_domain,
                "location": env("AWS_LOCATION", default="media"),
                # Published documents are public: plain URLs, cacheable by a CDN.
                # Set AWS_QUERYSTRING_AUTH=true for a private bucket.
                "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
                "file_overwrite": False,
                "default_acl": env("AWS_DEFAULT_ACL", default="") or None,
            },
        },
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    _media_origin = (
        f"https://{_s3_domain}" if _s3_domain else env("AWS_S3_ENDPOINT_URL", default="")
    )
    if _media_origin:
        # Images and documents load from the bucket's origin.
        for _directive in ("img-src", "media-src", "connect-src"):
            CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive].append(_media_origin)
elif MEDIA_BACKEND == "filesystem":
    # nginx sends the files after Django checked the city (tenants/media.py):
    # /media/<schema>/... and Wagtail's /documents/<id>/... downloads.
    DIALOG_MEDIA_ACCEL_PREFIX = env("DIALOG_MEDIA_ACCEL_PREFIX", default="/_media_internal/")
    SENDFILE_BACKEND = "tenants.media"
else:
    raise ValueError(f"MEDIA_BACKEND must be 'filesystem' or 's3', not {MEDIA_BACKEND!r}")

# --- E-mail --------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="dialog@localhost")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Logs ----------------------------------------------------------------------
# JSON lines on stderr with city and request id (cms/logging.py); journald or
# the container runtime collects them.
from cms.logging import logging_config  # noqa: E402

LOGGING = logging_config(
    level=env("DJANGO_LOG_LEVEL", default="INFO"),
    fmt=env("DJANGO_LOG_FORMAT", default="json"),
)
