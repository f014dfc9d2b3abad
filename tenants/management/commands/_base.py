"""Shared behaviour of the city commands: one-line errors, exit code 2."""

from django.core.management.base import BaseCommand, CommandError

from tenants.provisioning import ProvisioningError


class CityCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ProvisioningError as error:
            raise CommandError(str(error), returncode=2) from error
