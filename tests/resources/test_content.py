"""Patient and clinician resources (issue 4): readability, sources, translatability, icon-array counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation
from django.utils.functional import Promise

from apps.resources import content, decision_aid
from apps.resources.guidance import PAGES, page_for_prompt
from apps.resources.icon_array import grid, people_in_100
from apps.resources.management.commands.resources_docs import DOC, with_table
from apps.resources.readability import GRADE_MAX, READING_EASE_MIN, patient_blocks, scores
from apps.resources.sources import CITES
from core.rules import RULES_BY_ID

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
TEMPLATES = REPO / "apps" / "resources" / "templates" / "resources"
PATIENT_TEMPLATES = (
    "leaflet.html",
    "decision_aid.html",
    "_block.html",
    "_citation.html",
    "_tools.html",
    "_icon_array.html",
)


# --- readability ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", scores(), ids=lambda s: f"{s.page}-{s.block}")
def test_every_patient_text_block_is_easy_to_read(score):
    assert score.reading_ease >= READING_EASE_MIN, score
    assert score.grade <= GRADE_MAX, score


def test_the_readability_figures_in_the_docs_are_current():
    """docs/resources.md lists every block's figures; `manage.py resources_docs` rewrites them."""
    text = DOC.read_text()
    assert with_table(text) == text, "run: .venv/bin/python manage.py resources_docs"


def test_every_section_and_every_aid_block_is_measured():
    measured = {(page, block) for page, block, _t in patient_blocks()}
    assert {("leaflet", s.id) for s in content.SECTIONS} <= measured
    assert {("decision aid", k) for k in decision_aid.text_blocks()} <= measured


# --- sources ----------------------------------------------------------------------------------------------------


def test_each_leaflet_section_cites_recommendations_and_sources():
    ids = [s.id for s in content.SECTIONS]
    # Issue 4: what it is, symptoms, risk factors, help-seeking, what next, treatment, self-management, results.
    assert ids == [
        "what-it-is",
        "signs",
        "risk-factors",
        "get-help",
        "what-next",
        "medicine",
        "self-care",
        "your-results",
    ]
    for section in content.SECTIONS:
        assert section.recommendations and set(section.recommendations) <= set(range(1, 15)), section.id
        assert section.sources, section.id
        assert set(section.sources) <= set(CITES), section.id


def test_every_guidance_point_names_a_source_and_every_page_a_recommendation():
    assert [p.slug for p in PAGES] == [
        "risk-factors",
        "atypical-groups",
        "symptoms",
        "examination",
        "imaging",
        "report-wording",
        "red-flags",
    ]
    for page in PAGES:
        assert page.recommendations, page.slug
        for part in page.parts:
            for point in part.points:
                assert point.sources and set(point.sources) <= set(CITES), (page.slug, point.text)


def test_every_cited_fact_is_recorded_in_shared_or_in_docs_clinical_sources():
    added = (REPO / "docs" / "clinical-sources.md").read_text()
    for c in CITES.values():
        assert c.status in ("V", "P", "R"), c.id
        if c.where == "docs/clinical-sources.md":
            assert c.url in added, f"{c.id}: add {c.url} to docs/clinical-sources.md"
        else:
            path = SHARED / c.where.removeprefix("../shared/").split(" ")[0]
            assert path.exists(), c.id
            # The shared file names the source by its address (or, for a paper, by its last path segment).
            last = c.url.rstrip("/").rsplit("/", 1)[-1]
            assert c.url.split("://", 1)[1] in path.read_text() or last in path.read_text(), c.id


def test_prompts_link_to_the_guidance_that_serves_them():
    expected = {
        "education.risk_factors": "risk-factors",
        "education.atypical_groups": "atypical-groups",
        "education.symptoms": "symptoms",
        "assessment.examination": "examination",
        "imaging.spine_xray": "imaging",
        "report.probable_fracture": "report-wording",
        "report.explicit_fracture": "report-wording",
        "report.urgent_features": "report-wording",
        "red_flag.emergency": "red-flags",
        "red_flag.urgent": "red-flags",
    }
    for prompt_id, slug in expected.items():
        assert prompt_id in RULES_BY_ID
        assert page_for_prompt(prompt_id).slug == slug
    linked = {pid for pid in RULES_BY_ID if page_for_prompt(pid)}
    assert linked == set(expected)


# --- translation -----------------------------------------------------------------------------------------------


def _strings(value):
    if isinstance(value, (tuple, list)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    else:
        yield value


def test_every_patient_string_in_python_is_a_lazy_translation():
    values = [s.title for s in content.SECTIONS] + [b[1] for s in content.SECTIONS for b in s.blocks]
    values += [
        content.RISK_FACTOR_WORDS,
        content.MENOPAUSE_WORDS,
        content.LEAFLET_TITLE,
        content.YOURS_TITLE,
        content.YOURS_NONE,
        content.YOURS_ASK,
        content.LEAFLET_FOOT,
    ]
    aid = decision_aid
    values += [
        aid.TITLE,
        aid.INTRO,
        aid.ARRAYS_TITLE,
        aid.WITHOUT_CAPTION,
        aid.WITH_CAPTION,
        aid.KEY,
        aid.NOTE_NO_FRACTURE,
        aid.NOTE_FRACTURE,
        aid.NOTE_ON_TREATMENT,
        aid.NOTE_BAND,
        aid.BANDS,
        aid.BENEFITS_TITLE,
        aid.HARMS_TITLE,
        aid.FOOT,
        [t for t, _s in aid.BENEFITS + aid.HARMS],
        [f.what for f in aid.FIGURES],
    ]
    found = list(_strings(values))
    assert len(found) > 100
    for value in found:
        assert isinstance(value, Promise), repr(value)


def _untranslated_text(source: str) -> list[str]:
    """Words left in a template once translation tags, variables, other tags, comments and HTML are taken out."""
    source = re.sub(r"{% blocktranslate.*?{% endblocktranslate %}", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"<[^>]*>", " ", source, flags=re.S)  # tags and their attributes (checked below)
    source = re.sub(r"&\w+;", " ", source)
    return [w for w in re.findall(r"[A-Za-z]{2,}", source) if w != "SpinePrompt"]  # the product name stays


@pytest.mark.parametrize("name", PATIENT_TEMPLATES)
def test_patient_templates_have_no_text_outside_translation_tags(name):
    """Every word a patient reads in the templates is inside {% translate %} or {% blocktranslate %}, or comes
    from the lazy strings above, so adding a language needs a translation file and no code change."""
    source = (TEMPLATES / name).read_text()
    engines["django"].from_string(source)  # it is a valid template
    assert _untranslated_text(source) == []


def test_no_attribute_text_in_patient_templates():
    """aria-label, alt and title would hold untranslated words; the templates label with visible text instead."""
    for name in PATIENT_TEMPLATES:
        assert not re.search(r'\b(aria-label|alt|title)="[^"{]*[A-Za-z]', (TEMPLATES / name).read_text()), name


# --- icon array ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("percent", "people"),
    [(19.2, 19), (9.6, 10), (3.84, 4), (4.5, 5), (0.4, 0), (0, 0), (99.5, 100), (100, 100), (150, 100), (-3, 0)],
)
def test_percentages_become_whole_people_rounded_half_up(percent, people):
    assert people_in_100(percent) == people


@pytest.mark.parametrize("affected", [0, 1, 10, 19, 57, 100])
def test_the_grid_has_100_people_with_the_affected_first(affected):
    icons = grid(affected)
    assert len(icons) == 100
    assert sum(i.affected for i in icons) == affected
    assert [i.affected for i in icons] == [True] * affected + [False] * (100 - affected)
    assert len({(i.x, i.y) for i in icons}) == 100


def test_the_aids_numbers_follow_from_its_cited_figures():
    assert decision_aid.WITHOUT == 19  # 19.2% (Lindsay 2001)
    assert decision_aid.WITH_SMALLEST == 10  # 19.2% x 0.5 = 9.6%
    assert decision_aid.WITH_LARGEST == 4  # 19.2% x 0.2 = 3.84%
    assert decision_aid.WITH_SMALLEST < decision_aid.WITHOUT
    for figure in decision_aid.FIGURES:
        assert figure.source_id is None or figure.source_id in CITES
        assert figure.source_id is None or figure.date


# --- clinical content review (each fact checked against its source) ------------------------------------------------


def _section(section_id: str) -> content.Section:
    return next(s for s in content.SECTIONS if s.id == section_id)


def _paragraphs(section_id: str) -> list[str]:
    with translation.override("en-gb"):
        return [str(v) for kind, v in _section(section_id).blocks if kind == "p"]


def _glossary() -> dict[str, str]:
    with translation.override("en-gb"):
        (entries,) = [v for kind, v in _section("your-results").blocks if kind == "dl"]
        return {str(term): str(meaning) for term, meaning in entries}


def _points(page):
    return [pt for part in page.parts for pt in part.points]


def _point(slug: str, starts: str):
    (found,) = [pt for pg in PAGES if pg.slug == slug for pt in _points(pg) if pt.text.startswith(starts)]
    return found


def test_fever_and_new_back_pain_after_cancer_mean_the_gp_the_same_day_not_soon():
    """identification.md 5.5: fever -> same-day assessment; known cancer with new spinal pain -> the MSCC pathway."""
    paragraphs = _paragraphs("get-help")
    same_day = [p for p in paragraphs if "the same day" in p]
    soon = [p for p in paragraphs if "See your GP soon" in p]
    assert len(same_day) == 1 and "high temperature" in same_day[0] and "had cancer" in same_day[0]
    assert "back pain is new" in same_day[0]
    assert len(soon) == 1 and "losing weight without trying" in soon[0] and "pain at night" in soon[0]
    assert "temperature" not in soon[0] and "cancer" not in soon[0]
    assert "nice-ng234" in _section("get-help").sources


def test_see_your_gp_follows_the_bnssg_wording():
    """bnssg-patient [V]: seek help if more than one or two signs last a few weeks, even if mild."""
    first = _paragraphs("get-help")[0]
    assert "more than one or two of these signs" in first and "last a few weeks" in first and "mild" in first


def test_report_words_usually_mean_a_fracture_and_the_gp_confirms():
    """identification.md 6.3: hidden terms are a probable fracture for clinician review; cord, nerve-root and disc
    height loss are excluded."""
    glossary = _glossary()
    assert not any("This is a fracture" in meaning for meaning in glossary.values())
    for term in ("Wedging", "Compression", "Collapse", "Loss of height"):
        assert "This usually means a fracture. Your GP can confirm it." in glossary[term], term
    assert "a nerve or the spinal cord is compressed, that is not a broken bone" in glossary["Compression"]
    assert "the height of the bone, not of a disc" in glossary["Loss of height"]


def test_alendronic_acid_upright_until_after_eating():
    """treatment-and-coding.md 2.7 (SmPC [V]): upright for at least 30 minutes and until after food."""
    with translation.override("en-gb"):
        items = [str(i) for kind, v in _section("medicine").blocks if kind == "ul" for i in v]
    assert "Stay sitting or standing for at least 30 minutes, and until after you have eaten." in items


def test_the_medicine_text_follows_its_sources():
    text = " ".join(_paragraphs("medicine"))
    assert "another spine or hip break" in text  # nice-decision-aid [V]: vertebral and hip fractures
    assert "most common" not in text  # no source for it
    assert "usually alendronic acid or risedronate" in text  # nogg-drugs [P], so "usually"
    assert "You usually take alendronic acid once a week" in text  # nhs-alendronic-acid-about [V]
    assert "nogg-drugs" in _section("medicine").sources


def test_the_spine_scan_is_a_dxa_scan():
    """kernow-imaging [V]: DXA vertebral fracture assessment instead of plain films."""
    with translation.override("en-gb"):
        text = content.section_text(_section("what-next"))
    assert "a special DXA scan of your spine" in text and "bone scan" not in text


def test_risk_factors_cite_the_sources_that_name_them():
    """CG146 does not list rheumatoid arthritis (FRAX and TA204 do); menopause before 45 has a P source."""
    assert {"frax-inputs", "nice-ta204", "nhs-osteoporosis-causes"} <= set(_section("risk-factors").sources)
    ra = _point("risk-factors", "Rheumatoid arthritis")
    assert set(ra.sources) == {"frax-inputs", "nice-ta204"}
    early = _point("risk-factors", "Menopause before 45")
    assert early.sources == ("nhs-osteoporosis-causes",) and CITES["nhs-osteoporosis-causes"].status == "P"
    assert "P)" in early.text
    alcohol = _point("risk-factors", "Parental hip fracture")
    assert "over 14 units a week for women or over 21 for men" in alcohol.text
    assert "rheumatoid" not in alcohol.text.lower()


def test_glucocorticoid_point_cites_its_provisional_sources():
    point = _point("risk-factors", "Oral glucocorticoids")
    assert {"nogg-s3-r4-gc", "nogg-s4-very-high"} <= set(point.sources)
    assert any(CITES[s].status == "P" for s in point.sources)  # so the page shows "partly verified"


def test_siminoski_weighs_likelihood_and_nogg_4_cm_still_triggers_imaging():
    point = _point("examination", "Up to 6 cm largely rules a fracture out")
    assert "NOGG's trigger of 4 cm or more still applies" in point.text
    assert set(point.sources) == {"siminoski-2006", "nogg-s3-r4"}


def test_report_wording_points_cite_what_supports_them():
    old = _point("report-wording", "An old, healed or unchanged fracture")
    assert "rcr-2023" not in old.sources and "standard radiology teaching" in old.text and "P)" in old.text
    cord = _point("report-wording", "'Compression' of the cord")
    assert "cks-red-flags" not in cord.sources and "standard radiology teaching" in cord.text
    audit = _point("report-wording", "In one audit only 2 of 9")
    assert "only those 2 were" not in audit.text
    assert "both called 'fracture' got full work-up and treatment, unlike most of the rest" in audit.text


def test_red_flag_actions_follow_the_sources():
    cauda = _point("red-flags", "Suspected cauda equina")
    assert "same day" not in cauda.text and "emergency referral" in cauda.text and "now" in cauda.text
    assert "A&E or call 111 straight away" in cauda.text and "nhs-cauda-equina" in cauda.sources
    myeloma = _point("red-flags", "Age 60 or over")
    assert "persistent back pain or an unexplained fracture" in myeloma.text
    flags = _point("red-flags", "Cauda equina:")
    assert "neurological deficit in the legs (weakness or numbness)" in flags.text and "leg weakness" not in flags.text


def test_cg146_says_consider_assessment():
    point = _point("atypical-groups", "Consider assessing fracture risk")
    assert point.text.startswith("Consider assessing fracture risk in women under 65 and men under 75")
    assert not any("should have their fracture risk assessed" in pt.text for pg in PAGES for pt in _points(pg))
