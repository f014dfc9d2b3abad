"""Shared behaviour of the city commands: one-line errors, exit code 2."""

from django.core.management.base import BaseCommand, CommandError

from tenants.provisioning import ProvisioningError


def comma_list(value: str) -> list[str]:
    """``a, b,,c`` -> ``["a", "b", "c"]`` (options that take several values)."""
    return [entry.strip() for entry in value.split(",") if entry.strip()]


class CityCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except ProvisioningError as error:
            raise CommandError(str(error), returncode=2) from error
