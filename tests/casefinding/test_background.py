"""Issue 26: uploads run in the background, the worklist a practice works through, statuses kept across runs."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from apps.casefinding import services
from apps.casefinding.models import Patient, PatientStatus, Run
from core.casefinding import pipeline
from core.casefinding.groups import WEIGHT
from tests.browser.conftest import _append_only_audit_flush  # noqa: F401 (a fixture)
from tests.conftest import DATABASE_TASKS, IMMEDIATE_TASKS

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = ["patient_id", "age", "sex", "fracture_codes", "kyphosis", "heights_cm", "bone_protection_drugs"]
FRACTURE = "240198002@2026-06-01"
ROWS = [
    ["old-vf", "88", "female", FRACTURE, "", "", ""],  # fracture, no bone protection: the weightiest group
    ["young-vf", "61", "female", FRACTURE, "", "", ""],  # the same group, younger: after old-vf
    ["man-vf", "70", "male", FRACTURE, "", "", ""],
    ["kyph", "77", "female", "", "true", "", ""],  # kyphosis, no imaging: a lighter group
    ["none", "70", "female", "", "", "", ""],  # in no group: never stored
]


def upload(client, rows=ROWS):
    data = csv_bytes(HEADER, rows)
    return client.post("/casefinding/", {"input_format": "csv", "files": SimpleUploadedFile("x.csv", data)})


@pytest.fixture
def gp(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    return client


def _worker():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


# The worker closes its database connection when its batch ends, as a worker process should; inside a test's
# transaction that connection could not be reopened (PostgreSQL), so the tests that run it are transactional, with
# the audit log's append-only guard lifted for the flush (as the browser tests do).
worker_test = pytest.mark.django_db(transaction=True)


@worker_test
@pytest.mark.usefixtures("_append_only_audit_flush")
def test_an_upload_returns_at_once_and_a_worker_reads_it(gp, settings):
    settings.TASKS = DATABASE_TASKS
    response = upload(gp)
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casefinding/runs/{run.pk}/"
    assert run.status == Run.Status.QUEUED and not run.patients.exists()  # nothing read inside the request
    page = gp.get(response["Location"]).content.decode()
    assert "Reading the extract" in page and 'data-progress-url="/casefinding/runs/' in page
    assert "Waiting for the background worker" in page and "Check progress" in page
    assert gp.get(f"/casefinding/runs/{run.pk}/progress").json()["status"] == "queued"
    assert list(Path(settings.CASEFINDING_UPLOAD_DIR).glob("*/*"))  # the file waits for the worker

    _worker()
    run.refresh_from_db()
    assert run.status == Run.Status.COMPLETE and run.complete
    assert run.bytes_read == run.bytes_total > 0 and run.patients_listed == 4
    progress = gp.get(f"/casefinding/runs/{run.pk}/progress").json()
    assert progress["percent"] == 100 and progress["patients_assessed"] == 5
    assert not list(Path(settings.CASEFINDING_UPLOAD_DIR).glob("*/*"))  # and is deleted once read
    assert 'data-patient-id="old-vf"' in gp.get(response["Location"]).content.decode()


def _stored(run: Run) -> dict[str, tuple]:
    return {p.pseudonymous_id: (p.groups, p.age, p.sex, p.priority, p.data) for p in run.patients.all()}


@worker_test
@pytest.mark.usefixtures("_append_only_audit_flush")
def test_the_task_gives_the_same_worklist_on_either_backend(gp, settings):
    """The task code does not depend on its backend: the database backend with its worker, and the immediate
    backend (as any other backend, Celery or RQ, calls the same function), store the same worklist."""
    settings.TASKS = DATABASE_TASKS
    upload(gp)
    _worker()
    settings.TASKS = IMMEDIATE_TASKS
    upload(gp)
    first, second = Run.objects.order_by("created_at")
    assert _stored(first) == _stored(second) and len(_stored(first)) == 4


def test_a_failed_import_says_why_and_keeps_nothing_half_written(gp, settings, monkeypatch):
    real = pipeline.run

    def breaks_after_the_first_chunk(*args, store, **kwargs):
        def store_then_fail(listed):
            store(listed)
            raise RuntimeError("a value from the extract: 123-456")

        return real(*args, store=store_then_fail, **kwargs)

    monkeypatch.setattr(pipeline, "run", breaks_after_the_first_chunk)
    upload(gp)
    run = Run.objects.get()
    assert run.status == Run.Status.FAILED and not Patient.objects.exists()
    page = gp.get(f"/casefinding/runs/{run.pk}/").content.decode()
    assert services.INTERNAL_FAILURE in page and "123-456" not in page
    assert not list(Path(settings.CASEFINDING_UPLOAD_DIR).glob("*/*"))
    assert "Failed" in gp.get("/casefinding/").content.decode()  # listed as failed, not hidden


# --- the worklist a practice works through ----------------------------------------------------------------------


def test_the_worklist_opens_with_the_patients_most_urgent_first_with_age_and_sex(gp):
    upload(gp)
    run = Run.objects.get()
    page = gp.get(f"/casefinding/runs/{run.pk}/").content.decode()
    # The patients come before the import statistics, which are folded away.
    assert page.index('id="worklist"') < page.index('id="about-run"') < page.index("Rows read")
    order = [p for p in ("old-vf", "man-vf", "young-vf", "kyph") if f'data-patient-id="{p}"' in page]
    assert sorted(order, key=lambda p: page.index(f'data-patient-id="{p}"')) == ["old-vf", "man-vf", "young-vf", "kyph"]
    assert "88, female" in page and "70, male" in page
    assert Patient.objects.get(pseudonymous_id="kyph").priority == WEIGHT["imaging_trigger_no_imaging"]


def test_filters_by_age_band_sex_and_group_and_25_a_page(gp):
    rows = [[f"p{i:03d}", str(50 + i % 40), "female" if i % 2 else "male", FRACTURE, "", "", ""] for i in range(60)]
    upload(gp, rows)
    run = Run.objects.get()
    url = f"/casefinding/runs/{run.pk}/"
    first = gp.get(url)
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.num_pages == 3
    men = gp.get(url, {"sex": "male", "age_band": "75_plus"}).context["rows"]
    assert men and all(r["patient"].sex == "male" and r["patient"].age >= 75 for r in men)
    ages = [r["patient"].age for r in gp.get(url, {"sort": "age"}).context["rows"]]
    assert ages == sorted(ages, reverse=True)


def test_a_status_is_kept_across_runs_and_not_now_comes_back_on_its_date(gp):
    upload(gp)
    first = Run.objects.get()
    patient = first.patients.get(pseudonymous_id="old-vf")
    form = gp.get(f"/casefinding/patients/{patient.pk}/status/")
    assert form.status_code == 200
    missing = gp.post(f"/casefinding/patients/{patient.pk}/status/", {"status": "not_now"})
    assert missing.status_code == 400 and "Say why not now" in missing.content.decode()
    later = timezone.localdate() + dt.timedelta(days=90)
    saved = gp.post(
        f"/casefinding/patients/{patient.pk}/status/",
        {"status": "not_now", "reason": "in hospital", "look_again_on": later.isoformat()},
    )
    assert saved.status_code == 302
    gp.post(f"/casefinding/patients/{first.patients.get(pseudonymous_id='man-vf').pk}/status/", {"status": "invited"})

    upload(gp, ROWS[1:] + [["new-vf", "79", "female", FRACTURE, "", "", ""]])  # old-vf resolved, new-vf new
    second = Run.objects.order_by("-created_at").first()
    page = gp.get(f"/casefinding/runs/{second.pk}/")
    text = page.content.decode()
    assert "1 new, 3 still on the list, 1 no longer on it" in text
    rows = {r["patient"].pseudonymous_id: r for r in page.context["rows"]}
    assert rows["new-vf"]["new"] and not rows["man-vf"]["new"]
    assert rows["man-vf"]["status"].status == "invited"
    invited = gp.get(f"/casefinding/runs/{second.pk}/", {"status": "invited"}).context["rows"]
    assert [r["patient"].pseudonymous_id for r in invited] == ["man-vf"]
    open_ids = {
        r["patient"].pseudonymous_id
        for r in gp.get(f"/casefinding/runs/{second.pk}/", {"status": "open"}).context["rows"]
    }
    assert "man-vf" not in open_ids and "new-vf" in open_ids

    # A "not now" is open again once its date has come.
    PatientStatus.objects.filter(pseudonymous_id="old-vf").update(look_again_on=timezone.localdate())
    upload(gp)
    third = Run.objects.order_by("-created_at").first()
    rows = {r["patient"].pseudonymous_id: r for r in gp.get(f"/casefinding/runs/{third.pk}/").context["rows"]}
    assert rows["old-vf"]["status"] is None

    export = gp.get(f"/casefinding/runs/{second.pk}/export.csv").content.decode()
    by_id = {r["patient_id"]: r for r in csv.DictReader(io.StringIO(export))}
    assert by_id["man-vf"]["status"] == "invited" and by_id["new-vf"]["status"] == "open"


def test_the_not_assessed_list_is_its_own_tab(gp):
    rows = [*ROWS, ["gc", "70", "female", "", "", "", ""]]
    upload(gp, rows)
    run = Run.objects.get()
    act = {r["patient"].pseudonymous_id for r in gp.get(f"/casefinding/runs/{run.pk}/").context["rows"]}
    other = gp.get(f"/casefinding/runs/{run.pk}/", {"tab": "not_assessed"}).context["rows"]
    assert all(r["patient"].group_count == 0 for r in other)
    assert not act & {r["patient"].pseudonymous_id for r in other}
