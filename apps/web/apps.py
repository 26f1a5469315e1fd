from django.apps import AppConfig


class WebConfig(AppConfig):
    """What every page shares: the home page and health check, error pages, security headers and CSP, rate limits,
    the NHS.UK form rendering, housekeeping and the insert-only guard."""

    name = "apps.web"
    label = "web"
    verbose_name = "Web"
