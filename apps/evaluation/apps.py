from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """Django's side of evaluating with the rules (core.rules): the one way in (``services.assessment_evaluate``),
    the evaluate, screen_report and rulebook_docs commands, and the rule catalogue page."""

    name = "apps.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation"
