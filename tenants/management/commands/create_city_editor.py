from tenants.provisioning import create_city_editor

from ._base import CityCommand


class Command(CityCommand):
    help = "Create an editor (or moderator) account in one city."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("email")
        parser.add_argument("--moderator", action="store_true")
        parser.add_argument("--password", help="Generated and printed when omitted.")

    def handle(self, *args, **options):
        user, password = create_city_editor(
            options["slug"], options["email"], options["password"], moderator=options["moderator"]
        )
        role = "moderator" if options["moderator"] else "editor"
        self.stdout.write(self.style.SUCCESS(f"Created {role} {user.username}"))
        if not options["password"]:
            self.stdout.write(f"Password: {password}")
