import time

from tenants.backup import restore_city

from ._base import CityCommand


class Command(CityCommand):
    help = (
        "Restore a city from a backup_city folder, under its own slug or --as another one. "
        "Refuses to overwrite an existing city unless --replace."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--as", dest="as_slug", help="Restore under this slug (a copy).")
        parser.add_argument(
            "--domain",
            action="append",
            dest="domains",
            default=[],
            help="Domain(s) of the restored city, primary first (default: the backed-up ones).",
        )
        parser.add_argument(
            "--replace", action="store_true", help="Overwrite the city with the same slug."
        )
        parser.add_argument(
            "--no-reindex", action="store_true", help="Do not rebuild the search index."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        city = restore_city(
            options["directory"],
            as_slug=options["as_slug"],
            domains=options["domains"] or None,
            replace=options["replace"],
            reindex=not options["no_reindex"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {city.name} ({city.slug}) in {time.monotonic() - started:.1f} s"
            )
        )
