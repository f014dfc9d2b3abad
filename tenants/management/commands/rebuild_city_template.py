import time

from django.core.management.base import BaseCommand

from tenants.provisioning import build_template


class Command(BaseCommand):
    help = "Rebuild the migrated template schema that new cities are cloned from."

    def handle(self, *args, **options):
        started = time.monotonic()
        snapshot = build_template()
        self.stdout.write(
            f"Template {snapshot.key[:12]} rebuilt in {time.monotonic() - started:.1f} s"
        )
