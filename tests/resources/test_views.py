"""The resource pages: personalised from the rules' facts, private, audited, translatable by a file, large print."""

from __future__ import annotations

import re
import struct

import pytest

from apps.assessments.services import assessment_create
from apps.audit.models import AuditEvent
from apps.resources.content import MENOPAUSE_WORDS, RISK_FACTOR_WORDS
from apps.resources.personal import personal_from_input
from tests.rules.conftest import TODAY, load_vignettes
from tests.security.test_access_matrix import ROLES, outcome

VIGNETTES = {v["name"]: v for v in load_vignettes() if "expect" in v}

# Written out by hand from each vignette's input (not from the rules), so the leaflet is checked against the input.
EXPECTED_RISK_FACTORS = {
    "alendronate-six-years": ["woman aged 65+ or man aged 75+"],
    "cauda-equina-features": ["woman aged 65+ or man aged 75+"],
    "high-dose-steroids": ["oral glucocorticoids"],
    "man-recent-confirmed-fracture": ["known vertebral fracture"],
    "on-denosumab": ["woman aged 65+ or man aged 75+"],
    "premenopausal-mechanical-pain": [],
    "report-wedging-only": ["woman aged 65+ or man aged 75+"],
    "sudden-thoracic-pain-height-loss": ["menopause", "a fall in the last year", "woman aged 65+ or man aged 75+"],
}


def test_every_shared_vignette_has_expected_risk_factors():
    assert set(EXPECTED_RISK_FACTORS) == set(VIGNETTES)


@pytest.mark.parametrize("name", sorted(EXPECTED_RISK_FACTORS))
def test_the_personal_risk_factors_match_the_input(name):
    personal = personal_from_input(VIGNETTES[name]["input"], assessed_on=TODAY)
    assert personal.applies_keys == EXPECTED_RISK_FACTORS[name]
    words = {**RISK_FACTOR_WORDS, "menopause": MENOPAUSE_WORDS}
    assert [str(w) for w in personal.applies] == [str(words[k]) for k in EXPECTED_RISK_FACTORS[name]]


def test_each_risk_factor_and_its_absence_reach_the_leaflet():
    base = {"age": 70, "sex": "female", "postmenopausal": True}
    cases = {
        "prior fragility fracture": {"prior_fragility_fracture": True},
        "oral glucocorticoids": {"glucocorticoids": {"current_or_recent": True, "months": 3}},
        "parental hip fracture": {"parental_hip_fracture": True},
        "current smoker": {"current_smoker": True},
        "alcohol over 14 units a week": {"alcohol_units_per_week": 20},
        "rheumatoid arthritis": {"rheumatoid_arthritis": True},
        "secondary cause of osteoporosis": {"secondary_causes": ["coeliac_disease"]},
        "BMI under 18.5": {"weight_kg": 40, "height_cm": 160},
        "menopause before 45": {"menopause_before_45": True},
        "a fall in the last year": {"falls_last_year": 2},
        "known vertebral fracture": {"vertebral_fractures_known": 1},
    }
    for key, extra in cases.items():
        personal = personal_from_input({**base, **extra}, assessed_on=TODAY)
        assert key in personal.applies_keys, key
    none = personal_from_input(
        {**base, "age": 55, "prior_fragility_fracture": False, "alcohol_units_per_week": 3, "current_smoker": False},
        assessed_on=TODAY,
    )
    assert none.applies_keys == ["menopause"]
    assert str(RISK_FACTOR_WORDS["current smoker"]) not in [str(w) for w in none.applies + none.not_known]
    assert str(RISK_FACTOR_WORDS["parental hip fracture"]) in [str(w) for w in none.not_known]


def test_a_short_steroid_course_is_not_told_as_long_term_use():
    """Content review (session 10): a 1-week course was listed as "steroid tablets ... now or in the last year"
    applying to the patient; the source's risk factor is long-term use (3 months or more)."""
    base = {"age": 70, "sex": "female", "postmenopausal": True}
    short = personal_from_input(
        {**base, "glucocorticoids": {"current_or_recent": True, "months": 0.25}}, assessed_on=TODAY
    )
    assert "oral glucocorticoids" not in short.applies_keys
    unknown = personal_from_input({**base, "glucocorticoids": {"current_or_recent": True}}, assessed_on=TODAY)
    assert str(RISK_FACTOR_WORDS["oral glucocorticoids"]) in [str(w) for w in unknown.not_known]
    assert "3 months or more" in str(RISK_FACTOR_WORDS["oral glucocorticoids"])


@pytest.mark.django_db
def test_the_personalised_leaflet_shows_the_patients_risk_factors_and_is_audited(client, make_user):
    user = make_user("leaflet-gp", role="gp")
    client.force_login(user)
    assessment = assessment_create(user=user, data=VIGNETTES["sudden-thoracic-pain-height-loss"]["input"])
    html = client.get(f"/assessments/{assessment.pk}/leaflet/").content.decode()
    yours = re.search(r'<ul class="sp-yours-list">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", yours) == [
        "being a woman who has been through the menopause",
        "a fall in the last year",
        "being a woman aged 65 or over, or a man aged 75 or over",
    ]
    event = AuditEvent.objects.filter(event=AuditEvent.Event.VIEW, detail__page="leaflet").get()
    assert event.target_id == str(assessment.pk)
    assert set(event.detail) == {"page"}  # ids only, never patient data
    client.get(f"/assessments/{assessment.pk}/decision-aid/")
    assert AuditEvent.objects.filter(event=AuditEvent.Event.VIEW, detail__page="decision-aid").count() == 1


@pytest.mark.django_db
def test_blank_resources_show_no_personal_section_and_write_no_audit(client, make_user):
    client.force_login(make_user("blank-nurse", role="nurse"))
    leaflet = client.get("/leaflet/").content.decode()
    assert 'data-personal="no"' in leaflet and "sp-yours" not in leaflet
    aid = client.get("/decision-aid/").content.decode()
    assert 'id="about-you"' not in aid
    assert not AuditEvent.objects.filter(event=AuditEvent.Event.VIEW).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"age": 70, "sex": "female"}, "does not yet show if you have a spine fracture"),
        (
            {"age": 70, "sex": "female", "vertebral_fractures_known": 0, "spine_imaging": {"result": "no_fracture"}},
            "does not show a spine fracture",
        ),
        ({"age": 70, "sex": "female", "vertebral_fractures_known": 1}, "shows a spine fracture"),
        ({"age": 70, "sex": "female", "nogg_category": "high"}, "in the high group"),
        ({"age": 70, "sex": "female", "bone_protection": {"current": "alendronate"}}, "already take medicine"),
        # Found by a content review (session 10), each told the patient something the clinician's prompts did not:
        # a confirmed fracture with a "low" band was told "a new check within 5 years" (NOGG: treat, do not wait);
        (
            {"age": 70, "sex": "female", "vertebral_fractures_known": 1, "nogg_category": "low"},
            "You do not need to wait for a DXA scan first",
        ),
        # report wording alone ("wedging", or a rib at the level of T8) is for the clinician to confirm first;
        (
            {"age": 70, "sex": "female", "spine_imaging": {"report_text": "Anterior wedging of T8, 30% height loss."}},
            "does not yet show if you have a spine fracture",
        ),
        # and denosumab must never be stopped or delayed without a planned switch (MHRA).
        ({"age": 70, "sex": "female", "bone_protection": {"current": "denosumab"}}, "every 6 months, on time"),
        # and the tablets the aid weighs are not suggested when the rules' drug checks rule them out (issue 22).
        (
            {"age": 70, "sex": "female", "vertebral_fractures_known": 1, "creatinine_clearance": 20},
            "The tablets in this aid may not be right for you",
        ),
        (
            {"age": 70, "sex": "female", "vertebral_fractures_known": 1, "adjusted_calcium": 2.9},
            "The tablets in this aid may not be right for you",
        ),
    ],
)
def test_the_decision_aid_says_what_applies_to_this_patient(client, make_user, data, said):
    user = make_user("aid-gp", role="gp")
    client.force_login(user)
    assessment = assessment_create(user=user, data=data)
    html = client.get(f"/assessments/{assessment.pk}/decision-aid/").content.decode()
    about = re.search(r'id="about-you">(.*?)</div>', html, re.S).group(1)
    assert said in about
    assert "within 5 years" not in about or not data.get("vertebral_fractures_known")


@pytest.mark.django_db
def test_the_decision_aid_never_tells_a_patient_to_start_tablets_their_checks_rule_out(client, make_user):
    user = make_user("aid-gp-tablets", role="gp")
    client.force_login(user)

    def about(data):
        assessment = assessment_create(user=user, data=data)
        html = client.get(f"/assessments/{assessment.pk}/decision-aid/").content.decode()
        return re.search(r'id="about-you">(.*?)</div>', html, re.S).group(1)

    very_high = {"age": 70, "sex": "female", "nogg_category": "very_high"}
    assert "You may start tablets while you wait" in about({**very_high, "creatinine_clearance": 60})
    ruled_out = about({**very_high, "creatinine_clearance": 20})
    assert "You may start tablets" not in ruled_out and "who may offer an injection." in ruled_out
    assert "may not be right for you" not in about({**very_high, "creatinine_clearance": 60})


@pytest.mark.django_db
def test_the_icon_arrays_show_the_numbers_their_captions_state(client, make_user):
    client.force_login(make_user("icons", role="physio"))
    html = client.get("/decision-aid/").content.decode()
    figures = re.findall(r'<figure class="sp-aid-figure" id="(\w+)">(.*?)</figure>', html, re.S)
    assert [f[0] for f in figures] == ["without", "with"]
    for _id, body in figures:
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        labelled_by = re.search(r'aria-labelledby="([\w-]+)"', svg).group(1)
        caption = re.search(rf'<figcaption id="{labelled_by}" data-stated="(\d+)">(.*?)</figcaption>', body, re.S)
        stated = int(caption.group(1))
        assert 'role="img"' in svg
        assert svg.count("<g ") == 100
        assert svg.count('data-affected="true"') == stated
        assert f"about {stated} in 100" in caption.group(2)  # the text equivalent says the same number


@pytest.mark.django_db
def test_large_print_is_a_class_and_keeps_the_words(client, make_user):
    client.force_login(make_user("large", role="gp"))
    large = client.get("/leaflet/?print=large").content.decode()
    assert 'class="sp-leaflet sp-leaflet--large"' in large
    assert 'class="sp-leaflet sp-leaflet--large' not in client.get("/leaflet/").content.decode()
    assert "sp-leaflet--large" in client.get("/decision-aid/?print=large").content.decode()


def _write_mo(path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format gettext's msgfmt writes), so the test needs no gettext tools."""
    items = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = b"".join(k.encode() + b"\0" for k, _v in items)
    strs = b"".join(v.encode() + b"\0" for _k, v in items)
    n = len(items)
    start = 7 * 4 + 16 * n
    id_table, offset = [], start
    for k, _v in items:
        id_table += [len(k.encode()), offset]
        offset += len(k.encode()) + 1
    str_table, offset = [], start + len(ids)
    for _k, v in items:
        str_table += [len(v.encode()), offset]
        offset += len(v.encode()) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    path.write_bytes(header + struct.pack(f"{2 * n}i", *id_table) + struct.pack(f"{2 * n}i", *str_table) + ids + strs)


@pytest.mark.django_db
def test_adding_a_language_is_a_translation_file(client, make_user, settings, tmp_path):
    """A compiled translation in LOCALE_PATHS is enough: the language is offered and the leaflet is translated."""
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    _write_mo(folder / "django.mo", {"What is a spine fracture?": "[cy] What is a spine fracture?"})
    settings.LOCALE_PATHS = [tmp_path]
    client.force_login(make_user("welsh", role="gp"))
    english = client.get("/leaflet/").content.decode()
    assert "?lang=cy" in english and "[cy]" not in english
    welsh = client.get("/leaflet/?lang=cy").content.decode()
    assert "[cy] What is a spine fracture?" in welsh
    assert 'lang="cy"' in welsh
    # An unknown or unavailable language falls back to English.
    assert "[cy]" not in client.get("/leaflet/?lang=xx").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["leaflet", "decision-aid"])
def test_personalised_resources_are_private(client, make_user, page):
    """Only the clinician who stored the assessment sees its leaflet or decision aid: anyone else gets 404, admins
    403, anonymous visitors the login page. (Named in tests/security/test_access_matrix.py.)"""
    owner = make_user("resource-owner", role="gp")
    assessment = assessment_create(user=owner, data={"age": 70, "sex": "female", "assessor_role": "gp"})
    url = f"/assessments/{assessment.pk}/{page}/"
    assert outcome(client.get(url)) == "login"
    for role in ROLES:
        client.force_login(make_user(f"resource-other-{role}", role=role))
        assert outcome(client.get(url)) == ("403" if role == "admin" else "404 "), role
    client.force_login(owner)
    assert outcome(client.get(url)) == "ok"
    assert client.post(url).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "figures", "says"),
    [
        ({"age": 74, "sex": "female", "vertebral_fractures_known": 1}, True, ""),
        ({"age": 74, "sex": "male", "vertebral_fractures_known": 1}, False, "There are no numbers here for men"),
        (
            {"age": 74, "sex": "female", "vertebral_fractures_known": 0, "spine_imaging": {"result": "no_fracture"}},
            False,
            "There are none here for women who have not had one",
        ),
        ({"age": 74, "sex": "female"}, True, ""),  # not known yet: the aid says the numbers are for a fracture
    ],
    ids=["woman with a fracture", "man", "woman with no fracture", "woman, not known"],
)
def test_the_decision_aid_shows_numbers_only_for_the_patients_own_group(client, make_user, data, figures, says):
    user = make_user("aid-group", role="gp")
    client.force_login(user)
    assessment = assessment_create(user=user, data=data)
    html = client.get(f"/assessments/{assessment.pk}/decision-aid/").content.decode()
    assert ('class="sp-aid-arrays"' in html) is figures
    assert ('id="no-figures"' in html) is not figures
    assert says in html
