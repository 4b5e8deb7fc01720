"""Pages kept for anonymous visitors show events and rating rounds (the sitemap, the newly certified page): a change
to either makes them stale, as a change to the catalogue does."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from marketplace.catalogue.read_cache import SHOWN, catalogue_version_bump
from marketplace.events.models import Event, RatingAnnouncement


@receiver(post_save, sender=Event, dispatch_uid="events.event_saved")
@receiver(post_delete, sender=Event, dispatch_uid="events.event_deleted")
@receiver(post_save, sender=RatingAnnouncement, dispatch_uid="events.announcement_saved")
@receiver(post_delete, sender=RatingAnnouncement, dispatch_uid="events.announcement_deleted")
def shown_pages_stale(**kwargs: Any) -> None:
    transaction.on_commit(lambda: catalogue_version_bump(scope=SHOWN))
