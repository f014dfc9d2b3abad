from django.core.management.base import BaseCommand, CommandError
from django.db import ProgrammingError

from programmes.registration.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Anonymise registrations and working-group applications older than the site's "
        "retention period (current site/schema; see purge_personal_data_all for every city)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be anonymised."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            result = purge_personal_data(dry_run=dry_run)
        except ProgrammingError as error:
            # e.g. the platform (public) schema of a multi-city project.
            raise CommandError(
                "No registration tables here. In a multi-city project run "
                "purge_personal_data_all, or tenant_command purge_personal_data --schema=<city>."
            ) from error
        verb = "would anonymise" if dry_run else "anonymised"
        self.stdout.write(
            f"{verb}: {result.registrations} registrations, {result.applications} applications"
        )
