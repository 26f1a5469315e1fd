from django.apps import AppConfig


class CasefindingConfig(AppConfig):
    name = "apps.casefinding"
    label = "casefinding"
    verbose_name = "Case-finding"
