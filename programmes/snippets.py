"""Snippets shared by many pages: people, organisations and venues."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField


class Person(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=200,
        help_text=_("Full name, e.g. Anna Kowalska."),
    )
    title = models.CharField(
        _("title"),
        max_length=100,
        blank=True,
        help_text=_("Academic or professional title, e.g. dr, prof."),
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=255,
        blank=True,
        help_text=_("Organisation or role, e.g. city office."),
    )
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Public contact e-mail, if any.")
    )
    phone = models.CharField(
        _("phone"), max_length=50, blank=True, help_text=_("Public phone number, if any.")
    )
    bio = RichTextField(
        _("biography"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A few sentences about the person."),
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Portrait shown next to the name."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("name"),
        FieldPanel("affiliation"),
        MultiFieldPanel([FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("affiliation"),
        index.FilterField("locale"),  # the admin choosers filter by the editor's locale
    ]

    override_translatable_fields = [
        TranslatableField("title"),
        TranslatableField("affiliation"),
        TranslatableField("bio"),
        SynchronizedField("name"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("photo"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.name}".strip()


class Organisation(TranslatableMixin, index.Indexed, models.Model):
    KIND_CHOICES = [
        ("city_office", _("City office")),
        ("ngo", _("Non-governmental organisation")),
        ("council", _("Council")),
        ("foreign_partner", _("Foreign partner")),
        ("other", _("Other")),
    ]
    name = models.CharField(_("name"), max_length=255, help_text=_("Full official name."))
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=KIND_CHOICES,
        default="city_office",
        help_text=_("What sort of body this is."),
    )
    address = models.CharField(
        _("address"), max_length=255, blank=True, help_text=_("Street and number, city.")
    )
    email = models.EmailField(_("e-mail"), blank=True, help_text=_("Contact e-mail."))
    phone = models.CharField(_("phone"), max_length=50, blank=True, help_text=_("Contact phone."))
    website = models.URLField(
        _("website"), blank=True, help_text=_("Address of the organisation's website.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("address"),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("phone"), FieldPanel("website")], heading=_("Contact")
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("locale"),
    ]

    override_translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("kind"),
        SynchronizedField("address"),
        SynchronizedField("email"),
        SynchronizedField("phone"),
        SynchronizedField("website"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Venue(TranslatableMixin, index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=255, help_text=_("e.g. Pałac Ślubów"))
    address = models.CharField(
        _("street address"), max_length=255, help_text=_("e.g. pl. Zamkowy 6")
    )
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("e.g. Warszawa"))
    postcode = models.CharField(
        _("postcode"), max_length=10, blank=True, help_text=_("e.g. 00-277")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Decimal degrees, e.g. 52.248"),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Decimal degrees, e.g. 21.014"),
    )
    step_free_access = models.BooleanField(
        _("step-free access"),
        default=False,
        help_text=_("Wheelchair users can enter and move around."),
    )
    accessibility_notes = models.TextField(
        _("accessibility notes"),
        blank=True,
        help_text=_("Entrances, lifts, toilets, hearing loops."),
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("city"),
                FieldPanel("latitude"),
                FieldPanel("longitude"),
            ],
            heading=_("Location"),
        ),
        MultiFieldPanel(
            [FieldPanel("step_free_access"), FieldPanel("accessibility_notes")],
            heading=_("Accessibility"),
        ),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("address"),
        index.FilterField("locale"),
    ]

    override_translatable_fields = [
        TranslatableField("name"),
        TranslatableField("accessibility_notes"),
        SynchronizedField("address"),
        SynchronizedField("city"),
        SynchronizedField("postcode"),
        SynchronizedField("latitude"),
        SynchronizedField("longitude"),
        SynchronizedField("step_free_access"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.address}"

    @property
    def full_address(self) -> str:
        tail = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.address, tail) if part)
