import time

from tenants.provisioning import create_city

from ._base import CityCommand, comma_list


class Command(CityCommand):
    help = "Create a city: schema (cloned from the template), domains, site, home page, groups."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--domain", action="append", dest="domains", default=[])
        parser.add_argument("--languages", default="pl")
        parser.add_argument("--contact-email", default="")
        parser.add_argument(
            "--frontend-url", default="", help="the external frontend for headless previews"
        )
        parser.add_argument(
            "--cors-origins",
            default="",
            help="comma-separated origins whose browser scripts may read the API",
        )
        parser.add_argument("--admin-email")
        parser.add_argument("--admin-password")

    def handle(self, *args, **options):
        started = time.monotonic()
        city = create_city(
            options["slug"],
            options["name"],
            options["domains"],
            languages=options["languages"],
            admin_email=options["admin_email"],
            admin_password=options["admin_password"],
            contact_email=options["contact_email"],
            frontend_url=options["frontend_url"],
            cors_origins=comma_list(options["cors_origins"]),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {city.name} ({city.slug}) at {options['domains'][0]} "
                f"in {time.monotonic() - started:.2f} s"
            )
        )
