"""Rows every city starts with, and the per-city fixes applied after cloning.

``seed_city_defaults`` runs once, inside the template schema; its result is
copied into every new city. ``configure_city`` runs in the new city's schema
inside the creation transaction.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as _
from wagtail.models import Collection, Locale, Page, Site

EDITORS_GROUP = "Editors"
MODERATORS_GROUP = "Moderators"
DOCUMENTS_COLLECTION = "Dokumenty"


def _home_page_model():
    from django.apps import apps

    return apps.get_model(settings.DIALOG_HOME_PAGE_MODEL)


def seed_city_defaults() -> None:
    Locale.objects.get_or_create(language_code="pl")
    root = Page.get_first_root_node()
    home_model = _home_page_model()
    home = home_model.objects.first()
    if home is None:
        # Wagtail's initial migration leaves a placeholder "Welcome" page.
        for placeholder in root.get_children().exact_type(Page):
            placeholder.delete()
        root.refresh_from_db()
        home = root.add_child(instance=home_model(title="Strona główna", slug="home"))
    Site.objects.all().delete()
    Site.objects.create(
        hostname="localhost",
        port=80,
        root_page=home,
        is_default_site=True,
        site_name="Dialog",
    )
    root_collection = Collection.get_first_root_node()
    if not root_collection.get_children().filter(name=DOCUMENTS_COLLECTION).exists():
        root_collection.add_child(name=DOCUMENTS_COLLECTION)

    editors, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    moderators, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    # The plugin and its registration sub-app (registrations, applications,
    # registration settings): editors and moderators run both.
    plugin_perms = Permission.objects.filter(
        content_type__app_label__in=["programmes", "programmes_registration"]
    )
    admin_access = Permission.objects.filter(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    for group in (editors, moderators):
        group.permissions.add(*plugin_perms, *admin_access)


def configure_city(city, primary_domain: str, languages: list[str]) -> None:
    point_site_at(city, primary_domain)
    home = _home_page_model().objects.first()
    home.title = city.name
    home.draft_title = city.name
    home.save(update_fields=["title", "draft_title"])
    ensure_language_roots(languages)


def ensure_language_roots(languages: list[str]) -> None:
    """A Locale per language and, for each non-Polish one, a translated home page.

    The translated home (a synced wagtail-localize translation) is the root
    that ``/en/``, ``/uk/`` serve and that translated pages hang under.
    """
    from programmes.localization import translate_pages

    home = _home_page_model().objects.filter(locale__language_code="pl").first()
    for code in languages:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        if home is not None and code != "pl" and not home.has_translation(locale):
            translate_pages([home], locale)


def point_site_at(city, domain: str) -> None:
    # Wagtail builds absolute URLs and preview links from the Site, so its
    # hostname must be the city's primary domain.
    Site.objects.update(
        hostname=domain,
        port=settings.DIALOG_SITE_PORT,
        site_name=city.name,
        is_default_site=True,
    )


def create_editor(
    email: str,
    password: str | None = None,
    moderator: bool = False,
    superuser: bool = False,
):
    user_model = get_user_model()
    if user_model.objects.filter(username=email).exists():
        from .provisioning import ProvisioningError

        raise ProvisioningError(
            _("A user with the e-mail %(email)s already exists.") % {"email": email}
        )
    password = password or secrets.token_urlsafe(12)
    user = user_model.objects.create_user(
        username=email, email=email, password=password, is_superuser=superuser, is_staff=superuser
    )
    group = MODERATORS_GROUP if moderator else EDITORS_GROUP
    user.groups.add(Group.objects.get(name=group))
    if moderator:
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user, password
