from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from apps.rules.catalogue import STATUS_WORDS, rulebook


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    """Every recommendation and the rules that serve it, straight from the rule objects."""
    book = rulebook()
    rules = {r["id"]: r for r in book["rules"]}
    recommendations = [{**rec, "rules": [rules[i] for i in rec["prompts"]]} for rec in book["recommendations"]]
    return render(
        request,
        "rulebook/catalogue.html",
        {"book": book, "recommendations": recommendations, "status_words": STATUS_WORDS},
    )
