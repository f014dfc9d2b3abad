from django.core.management.base import CommandError

from tenants.branding import remove_city_logo, set_city_logo
from tenants.storage import platform_storage

from ._base import CityCommand


class Command(CityCommand):
    help = (
        "Set a city's logo from a PNG, JPEG or WebP file (checked by content; SVG refused), "
        "or remove it with --remove. Stored in the platform's media as city-logos/<slug>.<ext>."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("file", nargs="?", help="PNG, JPEG or WebP image")
        parser.add_argument("--remove", action="store_true", help="remove the city's logo")

    def handle(self, *args, **options):
        slug, path, remove = options["slug"], options["file"], options["remove"]
        if remove == bool(path):
            raise CommandError("Give either a logo file or --remove.", returncode=2)
        if remove:
            had = remove_city_logo(slug)
            self.stdout.write(
                self.style.SUCCESS(f"{slug}: logo removed" if had else f"{slug}: had no logo")
            )
            return
        name = set_city_logo(slug, path)
        self.stdout.write(self.style.SUCCESS(f"{slug}: logo {platform_storage().url(name)}"))
