"""manage.py search_status [--drain]: per-city counts, pending updates, queue depth."""

from django.core.management.base import BaseCommand
from django.db.models import Min
from django_tenants.utils import schema_context

from search import es
from search.backends import backend_name, get_backend
from search.health import queue_depth
from search.indexing import city_schemas, enqueue_processing
from search.models import PendingUpdate


class Command(BaseCommand):
    help = "Show documents per city in the search backend, pending updates and the queue."

    def add_arguments(self, parser):
        parser.add_argument(
            "--drain",
            action="store_true",
            help="queue processing for every city with pending updates (after an outage)",
        )

    def handle(self, *args, **options):
        backend = get_backend()
        self.stdout.write(f"backend: {backend_name()}   search queue: {queue_depth()} tasks")
        self.stdout.write("city\tindexed\tpending\tstuck\toldest pending")
        for schema in city_schemas():
            try:
                indexed = backend.count(schema)
            except Exception as error:  # noqa: BLE001 - report, don't crash
                if not es.is_transient(error):
                    raise
                indexed = "unreachable"
            with schema_context(schema):
                pending = PendingUpdate.objects.count()
                stuck = PendingUpdate.objects.filter(attempts__gt=0).count()
                oldest = PendingUpdate.objects.aggregate(oldest=Min("created"))["oldest"]
            shown = "-" if indexed is None else indexed
            self.stdout.write(
                f"{schema}\t{shown}\t{pending}\t{stuck}\t{oldest:%Y-%m-%d %H:%M:%S}"
                if oldest
                else f"{schema}\t{shown}\t{pending}\t{stuck}\t-"
            )
            if options["drain"] and pending:
                queued = enqueue_processing(schema)
                self.stdout.write(f"  {'queued' if queued else 'already queued'} processing")
