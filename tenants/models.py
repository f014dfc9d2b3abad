"""Cities (tenants) and their domains, in the public schema."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from .branding import logo_upload_to, validate_logo_file
from .storage import platform_storage

SLUG_RE = r"^[a-z][a-z0-9_]{1,29}$"


class City(TenantMixin):
    """A city running its programmes in its own PostgreSQL schema.

    ``schema_name`` always equals ``slug``: media, cache keys and search
    indices are keyed by it, so it never changes after creation.
    """

    slug = models.CharField(
        _("slug"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(SLUG_RE)],
        help_text=_("Lowercase letters, digits and underscores; also the schema name."),
    )
    name = models.CharField(_("name"), max_length=100)
    languages = models.CharField(
        _("languages"),
        max_length=50,
        default="pl",
        help_text=_("Comma-separated language codes, Polish first, e.g. pl,en,uk."),
    )
    timezone = models.CharField(_("time zone"), max_length=50, default="Europe/Warsaw")
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    cors_origins = models.TextField(
        _("CORS origins"),
        blank=True,
        help_text=_("One origin per line allowed to call this city's API from a browser."),
    )
    frontend_url = models.URLField(
        _("frontend URL"),
        blank=True,
        help_text=_("External frontend used for headless previews."),
    )
    brand_colour = models.CharField(_("brand colour"), max_length=7, default="#0b5394")
    # In the platform's media, not the city's (tenants/branding.py): set with
    # `manage.py set_city_logo`, which checks the image by its content.
    logo = models.FileField(
        _("logo"),
        blank=True,
        max_length=200,
        storage=platform_storage,
        upload_to=logo_upload_to,
        validators=[validate_logo_file],
        help_text=_("PNG, JPEG or WebP image; SVG is not accepted."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    # Provisioning clones a template schema itself (tenants/provisioning.py).
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.cors_origins.splitlines() if line.strip()]


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain


class TemplateSnapshot(models.Model):
    """SQL dump of the migrated template schema, keyed by the migration state.

    Provisioning loads it with the schema name rewritten, which is ~15x faster
    than running every migration for a new city. When migrations change, the
    key changes and the snapshot is rebuilt on the next city creation.
    """

    key = models.CharField(max_length=64, unique=True)
    sql = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.key
