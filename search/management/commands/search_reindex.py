"""manage.py search_reindex --city warszawa | --all: rebuild indices, swap aliases."""

import time

from django.core.management.base import BaseCommand, CommandError

from search.backends import backend_name
from search.indexing import city_schemas, reindex


class Command(BaseCommand):
    help = "Rebuild the search index of one city or of all active cities (no downtime)."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument(
            "--city", action="append", metavar="SLUG", help="city slug (repeatable)"
        )
        target.add_argument("--all", action="store_true", help="every active city")

    def handle(self, *args, **options):
        slugs = options["city"] or None
        schemas = city_schemas(slugs)
        if slugs and len(schemas) != len(set(slugs)):
            missing = sorted(set(slugs) - set(schemas))
            raise CommandError(f"No active city: {', '.join(missing)}", returncode=2)
        for schema in schemas:
            started = time.monotonic()
            count = reindex(schema)
            self.stdout.write(
                f"{schema}\t{count} items\t{backend_name()}\t{time.monotonic() - started:.1f} s"
            )
