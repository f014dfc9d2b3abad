"""``manage.py programme_export <slug> <file>``: a programme of the current site to an archive."""

from django.core.management.base import BaseCommand, CommandError

from programmes.transfer import TransferError, export_programme, find_programme


class Command(BaseCommand):
    help = (
        "Export a programme (pages, snippets it uses, documents) to a .zip, or to a .json "
        "with a <name>_files/ folder beside it. Format: docs/import-format.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug of the programme page.")
        parser.add_argument("file", help="Target file: name.zip or name.json.")
        parser.add_argument("--site-hostname", help="Site to look in (default site if omitted).")

    def handle(self, *args, **options):
        try:
            programme = find_programme(options["slug"], options["site_hostname"])
            counts = export_programme(programme, options["file"])
        except TransferError as error:
            raise CommandError(str(error), returncode=2) from error
        summary = ", ".join(f"{n} {what}" for what, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Exported '{programme.title}': {summary}"))
