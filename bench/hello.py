"""The floor for bench/cdshooks.py: a hello-world Django view behind the same settings, middleware and gunicorn
workers as the CDS Hooks service. It reads the same request body and answers ``{"cards": []}``; everything the
real service does beyond that (the JWT check, reading the prefetch, the rules, the cards, what is stored) is the
difference the benchmark's ratio measures. Never part of the app: gunicorn loads it only in the benchmark, as
``bench.hello:application``."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

PATH = "/bench-hello"


@csrf_exempt
def hello(request: HttpRequest) -> JsonResponse:
    _ = request.body
    return JsonResponse({"cards": []})


urlpatterns = [path(PATH.lstrip("/"), hello), path("", include("config.urls"))]
settings.ROOT_URLCONF = __name__
application = get_wsgi_application()
