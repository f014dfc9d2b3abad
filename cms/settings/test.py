"""pytest settings: real PostgreSQL (and Elasticsearch where configured), fast hashing."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="dialog-test-media-"))
STORAGES = {
    "default": {"BACKEND": "tenants.storage.CityFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Parallel test runs (several checkouts or agents on one server) each use their
# own database and search prefix.
DATABASES["default"]["TEST"] = {"NAME": env("DIALOG_TEST_DB", default="test_dialog")}  # noqa: F405

# The API's per-IP throttle would trip over a test suite's hundreds of requests
# from 127.0.0.1; tests of throttling lower these with override_settings.
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"api": "100000/min", "search": "100000/min"},
}
# Tests change content and read it back at once; the response cache has its
# own tests (tests/test_api_http.py).
PROGRAMMES_API_RESPONSE_CACHE = 0

# Search: the real Elasticsearch of infra/dev/elasticsearch.sh, and an index
# prefix per test database so parallel runs never share indices.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="http://127.0.0.1:9201")
SEARCH_BACKEND = env("SEARCH_BACKEND", default="elasticsearch")
SEARCH_INDEX_PREFIX = env(
    "DIALOG_SEARCH_PREFIX",
    default=f"t-{DATABASES['default']['TEST']['NAME']}",  # noqa: F405
).lower()
