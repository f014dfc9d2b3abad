from tenants.provisioning import ProvisioningError, delete_city

from ._base import CityCommand


class Command(CityCommand):
    help = "Delete a city: drops its schema, its rows and its media. Irreversible."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--yes", action="store_true", help="Confirm the deletion.")

    def handle(self, *args, **options):
        if not options["yes"]:
            raise ProvisioningError("Refusing to delete without --yes.")
        delete_city(options["slug"])
        self.stdout.write(self.style.SUCCESS(f"Deleted {options['slug']}"))
