from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.rules.catalogue import STATUS_WORDS, rulebook_data


@require_GET
@login_required
def rule_catalogue(request: HttpRequest) -> HttpResponse:
    """Every recommendation and the rules that serve it, straight from the rule objects."""
    book = rulebook_data()
    rules = {r["id"]: r for r in book["rules"]}
    query = " ".join(request.GET.get("q", "").split())[:100]
    words = query.lower().split()

    def matches(rule: dict) -> bool:
        text = " ".join([rule["id"], rule["title"], rule["conditions"], rule["evidence"]]).lower()
        return all(w in text for w in words)

    recommendations = [
        {**rec, "rules": [rules[i] for i in rec["prompts"] if matches(rules[i])]} for rec in book["recommendations"]
    ]
    if words:
        # A search shows only the recommendations with a matching prompt (or whose own words match).
        recommendations = [
            rec for rec in recommendations if rec["rules"] or all(w in rec["title"].lower() for w in words)
        ]
    found = sum(len(rec["rules"]) for rec in recommendations)
    return render(
        request,
        "evaluation/catalogue.html",
        {
            "book": book,
            "recommendations": recommendations,
            "status_words": STATUS_WORDS,
            "query": query,
            "found": found,
        },
    )
