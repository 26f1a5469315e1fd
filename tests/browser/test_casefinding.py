"""Case-finding in a real browser (issue 7): a GP uploads a synthetic extract, reads the worklist, filters it,
exports it and opens a prefilled assessment; a bad upload says why; it all works with JavaScript off; every page is
checked with axe and for CSP violations, and the worklist prints without its controls."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.casefinding.models import Run
from apps.casefinding.synth import write_population

from .test_pages import csp_violations

IMAGING = "imaging_trigger_no_imaging"


@pytest.fixture(autouse=True)
def _fail_fast(request):
    for name in ("page", "nojs_page"):
        if name in request.fixturenames:
            request.getfixturevalue(name).set_default_timeout(15_000)


@pytest.fixture
def extract(tmp_path) -> tuple[Path, dict]:
    write_population(300, tmp_path, seed=5, today=timezone.localdate(), formats=("csv",), planted_share=0.3)
    return tmp_path / "population.csv", json.loads((tmp_path / "manifest.json").read_text())


def upload(page: Page, path: Path) -> None:
    page.goto("/casefinding/")
    page.get_by_label("CSV extract (one row per patient)").check()
    page.get_by_label("Extract file or files").set_input_files(str(path))
    page.get_by_role("button", name="Find patients").click()


def shown_ids(page: Page, group: str) -> set[str]:
    """The patients shown once the worklist filtered to ``group`` has loaded (not the page before it)."""
    expect(page).to_have_url(re.compile(rf"[?&]group={group}(&|$)"))
    page.wait_for_load_state("load")
    return set(page.locator("[data-patient-id]").evaluate_all("els => els.map(e => e.dataset.patientId)"))


def test_upload_worklist_filter_export_and_assess(page: Page, login, axe_check, console_messages, screenshot, extract):
    path, manifest = extract
    login(page, "gp")
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Case-finding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-finding")
    axe_check(page)

    upload(page, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-finding worklist")
    run = Run.objects.get()
    assert page.url.endswith(f"/casefinding/runs/{run.pk}/")
    counts = page.locator(f'#group-counts tr[data-group="{IMAGING}"]')
    expect(counts).to_contain_text(str(len(manifest["planted"][IMAGING])))
    axe_check(page)
    screenshot(page, "casefinding-worklist-1280", full_page=False)

    # Filter to one group: only its planted patients, each with its reason.
    page.get_by_label("Group").select_option(IMAGING)
    page.get_by_role("button", name="Apply filters").click()
    assert shown_ids(page, IMAGING) == set(manifest["planted"][IMAGING])
    for card in page.locator("[data-patient-id]").all():
        expect(card.locator(f'li[data-group="{IMAGING}"][data-status="in"]')).to_contain_text(
            re.compile("height loss|kyphosis")
        )
    axe_check(page)

    # Export what is shown.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export these patients (CSV)").click()
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert rows[0][0] == "patient_id"
    assert {r[0] for r in rows[1:]} == set(manifest["planted"][IMAGING])

    # Print: the filters, export and assessment links are left off.
    page.emulate_media(media="print")
    expect(page.locator("form.sp-filters")).to_be_hidden()
    page.emulate_media(media="screen")

    # Open a prefilled assessment from the first patient.
    page.get_by_role("link", name=re.compile("^Open a prefilled assessment")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New assessment")
    axe_check(page)
    assert csp_violations(console_messages) == []


def test_a_bad_upload_says_why_and_stores_nothing(page: Page, login, axe_check, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'patient_id,age,sex,report_text\na1,80,female,"cut off')
    login(page, "admin")
    upload(page, bad)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Nothing was stored")
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("truncated")
    assert not Run.objects.exists()
    axe_check(page)


def test_no_file_chosen_asks_for_one_and_the_formats_page_is_linked(page: Page, login, axe_check):
    login(page, "gp")
    page.goto("/casefinding/")
    page.get_by_label("CSV extract (one row per patient)").check()
    page.get_by_role("button", name="Find patients").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose the extract file to upload")
    assert not Run.objects.exists()
    page.get_by_role("link", name="the columns and formats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extract formats for case-finding")
    expect(page.get_by_role("cell", name="patient_id", exact=True)).to_be_visible()
    axe_check(page)


def test_the_worklist_works_without_javascript(nojs_page: Page, login, extract):
    page = nojs_page
    path, manifest = extract
    login(page, "gp")
    upload(page, path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Case-finding worklist")
    page.get_by_label("Group").select_option("register_gap")
    page.get_by_role("button", name="Apply filters").click()
    assert shown_ids(page, "register_gap") == set(manifest["planted"]["register_gap"])
