from django.apps import AppConfig


class RulebookConfig(AppConfig):
    """Django glue around the pure rules core: the rule catalogue page and the rulebook commands."""

    name = "apps.rulebook"
    label = "rulebook"
    verbose_name = "Rulebook"
