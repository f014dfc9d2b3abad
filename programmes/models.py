"""Page types of the dialogue and cooperation programmes plugin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The city's portal root."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        help_text=_("Short welcome text shown at the top of the city's home page."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
