"""``manage.py programme_import <file>``: an exported programme into the current site."""

from django.core.management.base import BaseCommand, CommandError

from programmes.transfer import TransferError, import_programme


class Command(BaseCommand):
    help = (
        "Import a programme archive (.zip, or .json with its <name>_files/ folder) under the "
        "site's programme index. The whole file is checked first; on any problem nothing is "
        "imported and every problem is listed with its line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            result = import_programme(options["file"])
        except TransferError as error:
            raise CommandError(f"Nothing was imported.\n{error}", returncode=2) from error
        summary = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported '{result.programme.title}' ({result.programme.url_path}): {summary}"
            )
        )
