from django.core.management.base import BaseCommand

from search.indexing import INDEX_BATCH_SIZE, search_rebuild_index


class Command(BaseCommand):
    help = "Empty the search index and index every listed product again, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=INDEX_BATCH_SIZE)

    def handle(self, *args, batch_size: int, **options):
        def progress(done: int, total: int) -> None:
            self.stdout.write(f"indexed {done}/{total} listed products")

        count = search_rebuild_index(batch_size=batch_size, on_progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {count} products indexed."))
