from typing import Any

from django.core.management.base import BaseCommand

from marketplace.demo.seed import demo_seed


class Command(BaseCommand):
    help = (
        "Demo data on top of the registry sync: the real OCOP outlets of Đồng Nai, a priced and stocked variant "
        "for every product without one, and one account per role. Adds what is missing; overwrites nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = demo_seed()
        for line in summary.lines():
            self.stdout.write(f"seed_demo: {line}")
