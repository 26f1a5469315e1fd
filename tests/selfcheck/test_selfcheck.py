"""The public self-check (issue 27, point 1): no login, no identifiers, nothing stored without a code, three cited
outcomes, a 7-day code a clinician can use to prefill the assessment, rate limited, audited as counts only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.selfcheck.logic import GP, NOTHING, NOW, decide
from apps.selfcheck.models import SelfCheckCode

pytestmark = pytest.mark.django_db


def post(client, **answers):
    data = {k: v for k, v in answers.items() if k != "flags"}
    data["flags"] = answers.get("flags", [])
    return client.post("/check/", data)


@pytest.mark.parametrize(
    ("answers", "outcome", "words"),
    [
        ({"back_pain": "yes", "flags": ["peeing"]}, NOW, "Go to A&amp;E or call 111 straight away"),
        ({"back_pain": "yes", "flags": ["injury"]}, NOW, "Go to A&amp;E, because the pain started after a serious"),
        ({"back_pain": "yes", "flags": ["fever"]}, GP, "Contact your GP today"),
        ({"back_pain": "yes", "pain_start": "sudden", "age_band": "65_74"}, GP, "Book a GP appointment"),
        ({"steroids": "yes"}, GP, "They can make bones weaker"),
        ({"back_pain": "no", "age_band": "under_50"}, NOTHING, "Nothing to do now"),
    ],
)
def test_each_outcome_is_reached_cited_and_nothing_is_stored(client, answers, outcome, words):
    page = post(client, **answers)
    html = page.content.decode()
    assert page.status_code == 200 and f'data-outcome="{outcome}"' in html and words in html
    assert "recommendation 3" in html  # cited (recommendation 3 and the red-flag sources)
    assert not SelfCheckCode.objects.exists()  # nothing kept without a code
    event = AuditEvent.objects.get()
    assert event.detail == {"channel": "selfcheck", "outcome": outcome}  # a count, never an answer
    assert event.actor == ""


def test_the_check_is_public_and_asks_for_nothing_that_identifies(client):
    page = client.get("/check/")
    html = page.content.decode()
    assert page.status_code == 200 and "Check your back pain and bones" in html
    form = html[html.index('<form method="post"') : html.index("</form>")]
    names = set(re.findall(r'name="([a-z_]+)"', form)) - {"csrfmiddlewaretoken", "action"}
    assert names == {
        "age_band",
        "sex",
        "back_pain",
        "pain_start",
        "height_loss",
        "curve",
        "steroids",
        "broken_bone",
        "flags",
    }
    assert 'type="text"' not in html and "NHS number" not in html and "date of birth" not in html.lower()
    assert "Large print" in html and "sp-leaflet--large" in client.get("/check/?print=large").content.decode()


def test_not_sure_is_never_read_as_no():
    result = decide({"height_loss": "not_sure", "curve": "not_sure"})
    assert result.outcome == NOTHING and result.unsure == ("height_loss", "curve")
    assert decide({"height_loss": "yes"}).outcome == GP


def test_a_code_keeps_only_the_choices_for_7_days_and_prefills_the_assessment(client, make_user):
    page = client.post(
        "/check/",
        {
            "action": "code",
            "sex": "female",
            "back_pain": "yes",
            "pain_start": "sudden",
            "broken_bone": "yes",
            "age_band": "75_plus",
            "flags": ["night_pain"],
            "name": "Jane Doe 943 476 5919",  # not a question: dropped, never stored
        },
    )
    stored = SelfCheckCode.objects.get()
    assert stored.code in page.content.decode()
    assert "Jane" not in str(stored.answers) and set(stored.answers) <= {
        "age_band", "sex", "back_pain", "pain_start", "height_loss", "curve", "steroids", "broken_bone", "flags"
    }  # fmt: skip
    assert stored.expires_at - stored.created_at == dt.timedelta(days=7)

    assert client.get(f"/assessments/new/?selfcheck={stored.code}").status_code == 302  # login first
    client.force_login(make_user("gp1", role="gp"))
    form_page = client.get("/assessments/new/", {"selfcheck": stored.code.lower().replace("-", "")})
    form = form_page.context["form"]
    assert form.initial["sex"] == "female"
    assert form.initial["back_pain__present"] == "yes" and form.initial["back_pain__onset"] == "sudden"
    assert form.initial["prior_fragility_fracture"] == "yes"
    assert form.initial["red_flags"] == ["night_pain"]
    html = form_page.content.decode()
    assert "From the patient's self-check" in html and "75 or over" in html  # the age band in the patient's words
    assert form.initial.get("age") in (None, "")  # a band is not an age: the clinician enters it


def test_an_expired_code_is_refused_and_deleted_when_the_next_code_is_made(client, make_user):
    post(client, back_pain="yes", pain_start="sudden")
    client.post("/check/", {"action": "code", "back_pain": "yes", "pain_start": "sudden"})
    stored = SelfCheckCode.objects.get()
    SelfCheckCode.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(make_user("gp1", role="gp"))
    html = client.get("/assessments/new/", {"selfcheck": stored.code}).content.decode()
    assert "This self-check code has expired or does not exist" in html
    assert SelfCheckCode.objects.filter(pk=stored.pk).exists()  # a page read deletes nothing
    client.logout()
    client.post("/check/", {"action": "code", "back_pain": "no"})
    assert not SelfCheckCode.objects.filter(pk=stored.pk).exists()
    assert SelfCheckCode.objects.count() == 1


def test_the_self_check_is_rate_limited(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "selfcheck": 2}
    assert post(client, back_pain="no").status_code == 200
    assert post(client, back_pain="no").status_code == 200
    refused = post(client, back_pain="no")
    assert refused.status_code == 429 and refused["Retry-After"]
