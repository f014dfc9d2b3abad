"""Switch two-step verification off for an editor who lost the phone.

Users live in a city's schema, so run it through django-tenants:
``manage.py tenant_command reset_two_factor <user name> --schema=<city>``.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor.services import remove_devices


class Command(BaseCommand):
    help = (
        "Remove the two-step verification app and recovery codes of a user of the current city "
        "(run with tenant_command ... --schema=<city>). The user signs in with the "
        "password alone afterwards (or enrols again when DIALOG_REQUIRE_2FA is on)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user '{username}' in this city.") from error
        removed = remove_devices(user)
        self.stdout.write(f"{username}: {removed} device(s) removed")
