"""SMART App Launch inside a GP system's frame, in a real browser (issue 25, point 6): the simulated EHR's page
(another site) frames /smart/launch; the launch goes through the EHR's authorisation server and back inside the frame
and shows the prefilled assessment, which passes axe. The same EHR page cannot frame a SpinePrompt page outside a
launch."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from playwright.sync_api import Page, expect

from apps.accounts.models import Role
from apps.smart.models import SmartIdentity
from tests.smart.conftest import record
from tests.smart.ehr import Ehr, start


@pytest.fixture
def ehr(settings, live_server):
    sim = Ehr(resources=record())
    server, _ = start(sim)
    settings.CDS_HOOKS_ALLOW_HTTP_FHIR = True
    settings.SMART_ISSUERS = json.dumps(
        {"issuers": [{"iss": sim.fhir, "client_id": sim.client_id, "frame_origins": [sim.base]}]}
    )
    settings.SMART_ISSUERS_FILE = ""
    # SMART_EMBEDDED: in a cross-site frame only SameSite=None (and so Secure) cookies are sent; Chromium treats
    # http://localhost as secure, so the live server can set them.
    settings.SMART_EMBEDDED = True
    settings.SESSION_COOKIE_SAMESITE = settings.CSRF_COOKIE_SAMESITE = "None"
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    yield sim
    server.shutdown()
    server.server_close()


def _ehr_page(sim: Ehr, url: str) -> str:
    return f"{sim.base}/ehr?" + urllib.parse.urlencode({"frame": url})


def test_a_launch_inside_the_gp_systems_frame_opens_the_prefilled_assessment(page: Page, ehr, make_user, live_server):
    user = make_user("dr.framed", role=Role.GP)
    SmartIdentity.objects.create(issuer=ehr.fhir, fhir_user=ehr.fhir_user, user=user)
    base = live_server.url.replace("127.0.0.1", "localhost")
    launch = f"{base}/smart/launch?" + urllib.parse.urlencode({"iss": ehr.fhir, "launch": ehr.new_launch()})
    page.goto(_ehr_page(ehr, launch))
    frame = page.frame_locator("iframe[title=SpinePrompt]")
    expect(frame.get_by_role("heading", level=1)).to_contain_text("assessment", ignore_case=True)
    expect(frame.locator("#id_age")).to_have_value("76")
    spine = next(f for f in page.frames if "/assessments/new/" in f.url)
    assert "draft=" in spine.url


def test_the_gp_systems_page_cannot_frame_spineprompt_outside_a_launch(page: Page, ehr, live_server):
    base = live_server.url.replace("127.0.0.1", "localhost")
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text else None)
    page.goto(_ehr_page(ehr, f"{base}/accounts/login/"))
    page.wait_for_timeout(1000)
    login = next((f for f in page.frames if f.url.startswith(base)), None)
    shown = login.locator("h1").count() if login is not None else 0
    assert shown == 0
    assert blocked or login is None
