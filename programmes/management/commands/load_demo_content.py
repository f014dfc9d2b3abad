"""``manage.py load_demo_content``: fill the current site with demo programmes (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from programmes.demo.loader import DATASETS, DemoError, DemoRefused, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo programmes into the current site (in a multi-city project: "
        "manage.py tenant_command load_demo_content --schema=<city>). Running it again "
        "changes nothing. Refuses under production settings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset",
            choices=sorted(DATASETS),
            help="Which city's demo to load; guessed from the site's hostname by default.",
        )
        parser.add_argument(
            "--site-hostname",
            help="Hostname of the Wagtail site to fill (default site if omitted).",
        )

    def handle(self, *args, **options):
        try:
            name, report = load_demo(options["dataset"], options["site_hostname"])
        except (DemoRefused, DemoError) as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(self.style.SUCCESS(f"Demo '{name}': {report.summary()}"))
