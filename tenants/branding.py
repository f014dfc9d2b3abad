"""City logos: checked, stored once per city in the platform's media, removed.

A logo is shown on every page of its city (cms/templates/base.html), on the
platform's list of cities and in /api/v1/cities/. It is stored by
``tenants.storage.platform_storage`` (outside every city's media prefix, so
the platform's home page can show all of them) at a stable name,
``city-logos/<slug>.<png|jpg|webp>``.

Only raster images that Pillow reads as PNG, JPEG or WebP are accepted: the
format is decided by the content, never by the file name. SVG is refused: it
is XML that can carry scripts and external references, and the logo is
served from the platform's own origin.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .signals import city_deleted
from .storage import platform_storage

#: Pillow's format name -> file extension.
LOGO_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
LOGO_DIRECTORY = "city-logos"
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_SIDE = 4096


def logo_max_bytes() -> int:
    return getattr(settings, "DIALOG_CITY_LOGO_MAX_BYTES", LOGO_MAX_BYTES)


def logo_upload_to(city, filename: str) -> str:
    """The stable name of a city's logo (the extension follows the checked format)."""
    extension = Path(filename).suffix.lower().lstrip(".") or "png"
    return f"{LOGO_DIRECTORY}/{city.slug}.{extension}"


def inspect_logo(data: bytes) -> str:
    """The extension for an acceptable logo; ValidationError with a one-line reason."""
    from PIL import Image, UnidentifiedImageError

    limit = logo_max_bytes()
    if not data:
        raise ValidationError(_("The logo file is empty."))
    if len(data) > limit:
        raise ValidationError(
            _("The logo has %(size)d bytes; the limit is %(limit)d bytes.")
            % {"size": len(data), "limit": limit}
        )
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<") or b"<svg" in head:
        raise ValidationError(
            _("SVG logos are refused (they can carry scripts); use PNG, JPEG or WebP.")
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The logo is not a readable PNG, JPEG or WebP image.")) from None
    if kind not in LOGO_FORMATS:
        raise ValidationError(
            _("The logo is a %(format)s image; only PNG, JPEG and WebP are accepted.")
            % {"format": kind}
        )
    if width > LOGO_MAX_SIDE or height > LOGO_MAX_SIDE:
        raise ValidationError(
            _("The logo is %(width)d×%(height)d pixels; at most %(side)d on each side.")
            % {"width": width, "height": height, "side": LOGO_MAX_SIDE}
        )
    return LOGO_FORMATS[kind]


def validate_logo_file(value) -> None:
    """Model field validator (any form that edits City.logo)."""
    value.seek(0)
    data = value.read(logo_max_bytes() + 1)
    value.seek(0)
    inspect_logo(data)


def _delete_stored(slug: str) -> None:
    storage = platform_storage()
    for extension in LOGO_FORMATS.values():
        name = f"{LOGO_DIRECTORY}/{slug}.{extension}"
        if storage.exists(name):
            storage.delete(name)


def store_logo(city, data: bytes) -> str:
    """Check ``data`` and make it ``city``'s logo (replacing any previous one)."""
    from .provisioning import ProvisioningError

    try:
        extension = inspect_logo(data)
    except ValidationError as error:
        raise ProvisioningError(" ".join(error.messages)) from error
    _delete_stored(city.slug)
    city.logo.save(f"{city.slug}.{extension}", ContentFile(data), save=False)
    # save(), not update(): the platform API's cache listens to post_save.
    city.save(update_fields=["logo"])
    return city.logo.name


def clear_logo(city) -> None:
    _delete_stored(city.slug)
    city.logo = None
    city.save(update_fields=["logo"])


def set_city_logo(slug: str, path: str | Path) -> str:
    """``manage.py set_city_logo``: the stored name of the new logo."""
    # Imported here: tenants.models imports this module (validator, file names).
    from .provisioning import ProvisioningError, get_city

    city = get_city(slug)
    file = Path(path)
    if not file.is_file():
        raise ProvisioningError(f"No such file: {file}")
    if file.stat().st_size > logo_max_bytes():
        raise ProvisioningError(
            f"The logo has {file.stat().st_size} bytes; the limit is {logo_max_bytes()} bytes."
        )
    return store_logo(city, file.read_bytes())


def remove_city_logo(slug: str) -> bool:
    """``manage.py set_city_logo --remove``: True when there was a logo."""
    from .provisioning import get_city

    city = get_city(slug)
    had = bool(city.logo)
    clear_logo(city)
    return had


@receiver(city_deleted)
def _remove_logo_of_deleted_city(sender, schema_name, **kwargs):
    # schema_name equals the slug (tenants.models.City).
    _delete_stored(schema_name)
