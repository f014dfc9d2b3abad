from django.core.management.base import BaseCommand

from tenants.models import City


class Command(BaseCommand):
    help = "List cities with their domains and languages."

    def handle(self, *args, **options):
        cities = City.objects.exclude(schema_name="public").prefetch_related("domains")
        for city in cities:
            domains = ", ".join(
                f"{d.domain}{' (primary)' if d.is_primary else ''}" for d in city.domains.all()
            )
            state = "active" if city.is_active else "inactive"
            self.stdout.write(f"{city.slug}\t{city.name}\t{city.languages}\t{state}\t{domains}")
