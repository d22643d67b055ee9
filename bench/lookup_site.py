"""Settings for bench/bench_lookup.py: the project's own settings with a URLconf
(bench/lookup_urls.py) that adds one bare view, the baseline the public lookup is
compared with on the same server (same middleware, same gunicorn).

    DJANGO_SETTINGS_MODULE=bench.lookup_site
"""

from config.settings import *  # noqa: F403  (the same settings, only the URLconf differs)

ROOT_URLCONF = "bench.lookup_urls"
