"""Admin integration: the /admin/2fa/ URLs and the entry on the account page."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import urls


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [path("2fa/", include(urls, namespace="twofactor"))]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("twofactor:setup"),
        "label": _("Two-step verification"),
        "help_text": _("Ask for a code from a phone app after the password."),
    }
