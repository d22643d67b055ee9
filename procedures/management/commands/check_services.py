"""Tell, in plain words, which service the test suite needs and cannot reach."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Check that PostgreSQL and Redis answer before the test suite runs."

    def handle(self, *args, **options) -> None:
        problems = []
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            problems.append(
                "The tests need PostgreSQL: set DATABASE_URL, e.g. "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua"
            )
        else:
            try:
                # The server, not the database: pytest creates test_<name> itself,
                # so connect to the maintenance database "postgres".
                import psycopg

                psycopg.connect(
                    dbname="postgres",
                    user=db.get("USER") or None,
                    password=db.get("PASSWORD") or None,
                    host=db.get("HOST") or None,
                    port=db.get("PORT") or None,
                    connect_timeout=5,
                ).close()
            except Exception as exc:  # any driver error means "not reachable"
                problems.append(
                    f"PostgreSQL does not answer at {db.get('HOST')}:{db.get('PORT')} ({exc}). "
                    "Start it, or set DATABASE_URL to a server that runs."
                )
        redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except Exception as exc:
            problems.append(
                f"Redis does not answer at {redis_url} ({exc}). "
                "Start it, or set REDIS_URL to a server that runs."
            )
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("PostgreSQL and Redis answer.")
