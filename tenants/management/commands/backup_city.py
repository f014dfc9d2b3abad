import time

from tenants.backup import backup_city

from ._base import CityCommand


class Command(CityCommand):
    help = "Back up one city: pg_dump of its schema, its media, and a manifest with checksums."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("directory", help="Folder to write into (created; must be empty).")

    def handle(self, *args, **options):
        started = time.monotonic()
        target = backup_city(options["slug"], options["directory"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {options['slug']} into {target} in {time.monotonic() - started:.1f} s"
            )
        )
