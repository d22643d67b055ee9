"""Load the demo data of every app, in INSTALLED_APPS order.

Each app that has demo data provides ``<app>/demo.py`` with ``load(stdout)``; this
command finds them, so `procedures` never imports the apps that build on it.
Safe to run twice: every loader creates what is missing and leaves the rest.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    def handle(self, *args, **options) -> None:
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            with transaction.atomic():
                module.load(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
