"""The patient leaflet, the decision aid and the clinician guidance pages.

Blank leaflet, blank decision aid and guidance: any logged-in user (they hold no patient data). Personalised ones:
the clinician who stored the assessment only (``clinician_required`` and ``own_assessment`` from the assessments
app: 404 for anyone else's, 403 for admins), and each view is audited without patient data.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.assessments.selectors import own_assessment
from apps.assessments.services import assessment_viewed
from apps.assessments.views import clinician_required

from . import content, decision_aid
from .guidance import BY_SLUG, PAGES
from .icon_array import grid
from .personal import Personal, personal_from_input
from .sources import cite


def patient_languages() -> list[tuple[str, str]]:
    """English, plus every language with a compiled translation in LOCALE_PATHS: adding a language is a file."""
    found = [(settings.LANGUAGE_CODE, "English")]
    for root in settings.LOCALE_PATHS:
        for mo in sorted(Path(root).glob("*/LC_MESSAGES/django.mo")):
            code = translation.to_language(mo.parent.parent.name)
            if code != settings.LANGUAGE_CODE and code in dict(settings.LANGUAGES):
                found.append((code, get_language_info(code)["name_local"]))
    return found


def citation(recommendations: tuple[int, ...], source_ids: tuple[str, ...]) -> dict:
    recs = [
        _("recommendation %(n)s (reconstructed)") % {"n": n}
        if n in content.RECONSTRUCTED
        else _("recommendation %(n)s") % {"n": n}
        for n in recommendations
    ]
    return {"recommendations": recs, "sources": [cite(s) for s in source_ids]}


def _patient_page(request: HttpRequest, template: str, build: Callable[[], dict]) -> HttpResponse:
    """Render a patient page in the chosen language; ``build`` makes the context inside that language, so text
    formatted in Python (numbers in sentences) is translated too."""
    languages = patient_languages()
    lang = request.GET.get("lang", settings.LANGUAGE_CODE)
    if lang not in dict(languages):
        lang = settings.LANGUAGE_CODE
    large = request.GET.get("print") == "large"
    context = {
        "large": large,
        "lang": lang,
        "languages": languages if len(languages) > 1 else [],
        "standard_url": request.path + ("" if lang == settings.LANGUAGE_CODE else f"?lang={lang}"),
        "large_url": request.path + "?print=large" + ("" if lang == settings.LANGUAGE_CODE else f"&lang={lang}"),
    }
    with translation.override(lang):
        return render(request, template, {**build(), **context})


def _leaflet_context(personal: Personal | None) -> dict:
    sections = [{"section": s, "citation": citation(s.recommendations, s.sources)} for s in content.SECTIONS]
    return {"sections": sections, "personal": personal, "title": content.LEAFLET_TITLE, "c": content}


def _aid_context(personal: Personal | None) -> dict:
    return {
        "personal": personal,
        "aid": decision_aid,
        "notes": decision_aid.notes(personal),
        "no_figures": decision_aid.no_figures(personal),
        "without_icons": grid(decision_aid.WITHOUT),
        "with_icons": grid(decision_aid.WITH_SMALLEST),
        "benefits": [(text, cite(s)) for text, s in decision_aid.BENEFITS],
        "harms": [(text, cite(s)) for text, s in decision_aid.HARMS],
        "figures": [(f, cite(f.source_id) if f.source_id else None) for f in decision_aid.FIGURES],
        "citation": citation(decision_aid.RECOMMENDATIONS, decision_aid.SOURCES),
        "captions": decision_aid.captions(),
    }


def _personal(request: HttpRequest, pk: uuid.UUID, page: str) -> tuple:
    assessment = own_assessment(request.user, pk)
    assessment_viewed(user=request.user, assessment=assessment, page=page)
    return assessment, personal_from_input(assessment.input_snapshot, assessed_on=assessment.assessed_on)


@require_safe
@login_required
def leaflet(request: HttpRequest) -> HttpResponse:
    return _patient_page(request, "resources/leaflet.html", lambda: _leaflet_context(None))


@require_safe
@clinician_required
def leaflet_personal(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    assessment, personal = _personal(request, pk, "leaflet")
    return _patient_page(
        request, "resources/leaflet.html", lambda: {**_leaflet_context(personal), "assessment": assessment}
    )


@require_safe
@login_required
def decision_aid_page(request: HttpRequest) -> HttpResponse:
    return _patient_page(request, "resources/decision_aid.html", lambda: _aid_context(None))


@require_safe
@clinician_required
def decision_aid_personal(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    assessment, personal = _personal(request, pk, "decision-aid")
    return _patient_page(
        request, "resources/decision_aid.html", lambda: {**_aid_context(personal), "assessment": assessment}
    )


@require_safe
@login_required
def guidance_index(request: HttpRequest) -> HttpResponse:
    return render(request, "resources/guidance_index.html", {"pages": PAGES})


@require_safe
@login_required
def guidance_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = BY_SLUG.get(slug)
    if page is None:
        raise Http404
    parts = [
        {"heading": part.heading, "points": [(pt.text, [cite(s) for s in pt.sources]) for pt in part.points]}
        for part in page.parts
    ]
    recs = [(n, n in content.RECONSTRUCTED) for n in page.recommendations]
    return render(
        request,
        "resources/guidance_page.html",
        {"page": page, "parts": parts, "recs": recs, "sources": [cite(s) for s in page.sources]},
    )
