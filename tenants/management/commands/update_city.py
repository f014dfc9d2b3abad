from tenants.provisioning import get_city, update_city

from ._base import CityCommand, comma_list


class Command(CityCommand):
    help = (
        "Change a city's settings: name, contact e-mail, frontend URL (headless preview), "
        "CORS origins of its frontends, brand colour. Without options, print them. "
        "A bad value changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name")
        parser.add_argument("--contact-email", help="'' removes it")
        parser.add_argument(
            "--frontend-url", help="the external frontend for previews; '' removes it"
        )
        parser.add_argument(
            "--cors-origins",
            help="comma-separated origins allowed to call the API from a browser "
            "(replaces the list; '' empties it), e.g. https://dialog.um.krakow.pl",
        )
        parser.add_argument("--add-cors-origin", action="append", default=[], metavar="ORIGIN")
        parser.add_argument("--remove-cors-origin", action="append", default=[], metavar="ORIGIN")
        parser.add_argument("--brand-colour", help="#rrggbb")

    def handle(self, *args, slug, **options):
        changed = update_city(
            slug,
            name=options["name"],
            contact_email=options["contact_email"],
            frontend_url=options["frontend_url"],
            cors_origins=(
                None if options["cors_origins"] is None else comma_list(options["cors_origins"])
            ),
            add_cors_origins=options["add_cors_origin"],
            remove_cors_origins=options["remove_cors_origin"],
            brand_colour=options["brand_colour"],
        )
        city = get_city(slug)
        if changed:
            self.stdout.write(self.style.SUCCESS(f"{slug}: changed {', '.join(changed)}"))
        rows = [
            ("name", city.name),
            ("contact e-mail", city.contact_email or "-"),
            ("frontend URL", city.frontend_url or "-"),
            ("CORS origins", ", ".join(city.cors_origin_list) or "- (no browser access)"),
            ("brand colour", city.brand_colour),
        ]
        for label, value in rows:
            self.stdout.write(f"  {label}: {value}")
