"""/check/: the public self-check. No login, no identifiers, nothing stored unless the person asks for a code."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from apps.resources.views import citation

from . import content, selectors, services
from .forms import SelfCheckForm
from .logic import CITES, decide


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    large = request.GET.get("print") == "large" or request.POST.get("print") == "large"
    if request.method != "POST":
        return render(request, "selfcheck/check.html", {"form": SelfCheckForm(), "c": content, "large": large})
    form = SelfCheckForm(request.POST)
    if not form.is_valid():
        return render(request, "selfcheck/check.html", {"form": form, "c": content, "large": large}, status=400)
    answers = form.cleaned_data
    result = decide(answers)
    code = None
    if request.POST.get("action") == "code":
        code = services.code_create(answers=answers, result=result)
    else:
        services.outcome_recorded(result)
    recs, sources = CITES[result.outcome]
    return render(
        request,
        "selfcheck/result.html",
        {
            "form": form,
            "c": content,
            "result": result,
            "why": [content.WHY[w] for w in result.why],
            "flags": [{**content.EMERGENCY, **content.SAME_DAY, **content.SOON}[f] for f in result.flags],
            "unsure": [content.QUESTIONS[n][0] for n in result.unsure],
            "answers": selectors.answer_words(answers),
            "code": code,
            "citation": citation(recs, sources),
            "large": large,
        },
    )
