"""``manage.py import_programme <city> <file>``: the plugin's import, in one city."""

from django.core.management.base import CommandError
from django_tenants.utils import schema_context

from programmes.transfer import TransferError, import_programme
from tenants.provisioning import get_city

from ._base import CityCommand


class Command(CityCommand):
    help = (
        "Import a programme archive into a city, under its programme index. The whole file "
        "is checked first; on any problem nothing is imported and each problem is listed "
        "with its line in programme.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("city", help="City slug, e.g. wroclaw.")
        parser.add_argument("file", help="name.zip, or name.json with its name_files/ folder.")

    def handle(self, *args, **options):
        city = get_city(options["city"])
        with schema_context(city.schema_name):
            try:
                result = import_programme(options["file"])
            except TransferError as error:
                raise CommandError(f"Nothing was imported.\n{error}", returncode=2) from error
        summary = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported '{result.programme.title}' into {city.name} "
                f"({result.programme.url_path}): {summary}"
            )
        )
