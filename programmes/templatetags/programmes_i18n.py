"""Language versions of a page: the switcher and the hreflang alternates.

``{% page_language_versions page as versions %}`` gives one entry per
language of the site (its Wagtail locales): the page itself, its live
translation, or, when the page is not translated, the nearest translated
ancestor (so the switcher never leads to a 404). ``exact`` tells the two
apart: only exact translations are hreflang alternates.
"""

from django import template
from django.utils.translation import get_language_info
from wagtail.models import Locale

register = template.Library()


@register.simple_tag(takes_context=True)
def page_language_versions(context, page):
    if page is None or not getattr(page, "pk", None):
        return []
    request = context.get("request")
    locales = list(Locale.objects.order_by("pk"))
    if len(locales) < 2:
        return []
    translations = {
        p.locale_id: p
        for p in page.get_translations(inclusive=True).live().select_related("locale")
    }
    missing = [locale for locale in locales if locale.pk not in translations]
    fallbacks = {}
    if missing:
        # Nearest ancestor first; the site root (depth 1) has no language.
        ancestors = list(page.get_ancestors().filter(depth__gt=1).order_by("-depth"))
        for locale in missing:
            for ancestor in ancestors:
                found = ancestor.get_translation_or_none(locale)
                if found is not None and found.live:
                    fallbacks[locale.pk] = found
                    break
    versions = []
    for locale in locales:
        target = translations.get(locale.pk) or fallbacks.get(locale.pk)
        if target is None:
            continue
        versions.append(
            {
                "code": locale.language_code,
                # Each language in its own name: a reader looks for "English", not "angielski".
                "name": get_language_info(locale.language_code)["name_local"],
                "url": target.get_url(request),
                "full_url": target.get_full_url(request),
                "current": target.pk == page.pk,
                "exact": locale.pk in translations,
            }
        )
    return versions
