"""URLs for bench/bench_lookup.py: the project's, plus /bench/bare/."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_BARE = None


def bare(request: HttpRequest) -> HttpResponse:
    """A small template through Django's engine: the floor any page stands on."""
    global _BARE
    if _BARE is None:
        _BARE = engines["django"].from_string(
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>{{ title }}'
            "</title></head><body><main><h1>{{ title }}</h1><p>{{ text }}</p></main></body></html>"
        )
    return HttpResponse(_BARE.render({"title": "Một Cửa", "text": "Xin chào"}, request))


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
