from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, schema_context

from programmes.registration.services import purge_personal_data
from tenants.models import City


class Command(BaseCommand):
    help = (
        "Anonymise expired registrations and applications in every city "
        "(each city's own retention period). Run daily from a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--city", action="append", help="Only these city slugs.")

    def handle(self, *args, dry_run=False, city=None, **options):
        cities = City.objects.exclude(schema_name=get_public_schema_name()).order_by("slug")
        if city:
            cities = cities.filter(slug__in=city)
        verb = "would anonymise" if dry_run else "anonymised"
        for each in cities:
            with schema_context(each.schema_name):
                result = purge_personal_data(dry_run=dry_run)
            self.stdout.write(
                f"{each.slug}\t{verb}: {result.registrations} registrations, "
                f"{result.applications} applications"
            )
