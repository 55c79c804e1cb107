"""Load the demo content; safe to run again (nothing existing is changed)."""

from django.core.management.base import BaseCommand

from demo.loader import load_demo


class Command(BaseCommand):
    help = "Create the demo articles, experts, topics and sponsors that are not there yet."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-pictures",
            action="store_true",
            help="Skip drawing pictures for the demo articles and experts (faster).",
        )
        parser.add_argument(
            "--one-hub",
            action="store_true",
            help="Put everything on the first hub instead of making the lymphoma hub.",
        )

    def handle(self, *args, **options):
        created = load_demo(pictures=not options["no_pictures"], hubs=not options["one_hub"])
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        self.stdout.write(f"Demo content created: {summary}.")
