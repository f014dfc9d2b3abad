from tenants.provisioning import add_domain

from ._base import CityCommand


class Command(CityCommand):
    help = "Add a domain to a city (optionally as its new primary domain)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("domain")
        parser.add_argument("--primary", action="store_true")

    def handle(self, *args, **options):
        record = add_domain(options["slug"], options["domain"], primary=options["primary"])
        self.stdout.write(self.style.SUCCESS(f"Added {record.domain} to {options['slug']}"))
