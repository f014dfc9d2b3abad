from tenants.provisioning import set_city_languages

from ._base import CityCommand


class Command(CityCommand):
    help = (
        "Set a city's languages (comma-separated, Polish first), e.g. pl,en,uk. New languages "
        "get a locale and a translated home page; removing a language with pages is refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("languages", help="e.g. pl,en,uk")

    def handle(self, *args, **options):
        codes = set_city_languages(options["slug"], options["languages"])
        self.stdout.write(self.style.SUCCESS(f"{options['slug']}: {','.join(codes)}"))
