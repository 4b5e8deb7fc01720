from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog_sync.models import SYNC_COUNTERS, SyncRun
from catalog_sync.sync import SyncAlreadyRunning, run_sync


class Command(BaseCommand):
    help = "Read the OCOP registry's change feed from the stored cursor and apply it to the catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--page-size", type=int, default=None, help="records per page (1–200)")

    def handle(self, *args: Any, page_size: int | None = None, **options: Any) -> None:
        if page_size is not None and not 1 <= page_size <= 200:
            raise CommandError("--page-size must be between 1 and 200.")

        def progress(state: dict[str, Any]) -> None:
            more = "more to come" if state["has_more"] else "end of feed"
            self.stdout.write(
                f"page {state['page']}: {state['received']} received, {state['created']} created, "
                f"{state['updated']} updated, {state['quarantined']} quarantined ({more})"
            )

        try:
            run = run_sync(trigger="command", progress=progress, page_size=page_size)
        except SyncAlreadyRunning as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{name} {getattr(run, name)}" for name in SYNC_COUNTERS)
        if run.status == SyncRun.Status.FAILED:
            self.stderr.write(f"Sync #{run.pk} failed after {run.pages} pages: {run.error}")
            self.stderr.write(f"Applied before the failure: {summary}. The next sync resumes from there.")
            raise CommandError("registry sync failed")
        self.stdout.write(self.style.SUCCESS(f"Sync #{run.pk} done in {run.pages} pages: {summary}."))
