"""``manage.py export_programme <city> <slug> <file>``: the plugin's export, in one city."""

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from programmes.transfer import TransferError, export_programme, find_programme
from tenants.provisioning import get_city

from ._base import CityCommand


class Command(CityCommand):
    help = (
        "Export a city's programme with its pages, snippets and documents to a .zip (or a "
        ".json with a <name>_files/ folder). Format: docs/import-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("city", help="City slug, e.g. warszawa.")
        parser.add_argument("slug", help="Slug of the programme page.")
        parser.add_argument("file", help="Target file: name.zip or name.json.")

    def handle(self, *args, **options):
        city = get_city(options["city"])
        with schema_context(city.schema_name):
            try:
                programme = find_programme(options["slug"])
                counts = export_programme(programme, options["file"])
            except TransferError as error:
                raise CommandError(str(error), returncode=2) from error
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Exported '{programme.title}' from {city.name}: {summary}")
        )
