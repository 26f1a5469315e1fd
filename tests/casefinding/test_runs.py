"""Runs: stored as pseudonymous ids, groups and reasons only, in one transaction, audited with counts, purged after
the retention period; the pages, filters, export and the prefilled assessment."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.casefinding.models import Patient, Run
from apps.casefinding.selectors import group_rows, worklist
from apps.casefinding.services import (
    UnusableInput,
    casefinding_purge,
    casefinding_run,
    export_csv,
)
from core.casefinding import extract
from core.casefinding.groups import GROUPS_BY_ID, WEIGHT
from core.rules.contract import SCHEMA

from .conftest import AS_OF, csv_bytes

HEADER = ["patient_id", "age", "sex", "fracture_codes", "bone_protection_drugs", "heights_cm", "kyphosis"]
ROWS = [
    ["vf1", "72", "female", "240198002@2025-06-01", "", "", ""],  # fracture, no bone protection
    ["man1", "58", "male", "240198002@2024-02-01", "alendronate@2025-01-01", "", ""],  # under 65 or male
    ["kyph1", "80", "female", "", "", "", "true"],  # imaging trigger
    ["-1-1", "80", "female", "", "", "", "true"],  # an id that a spreadsheet would run as a formula
    ["none1", "45", "female", "", "", "", ""],  # in no group
    ["bad", "old", "female", "", "", "", ""],  # skipped
]


def make_run(user=None, rows=ROWS, **kwargs) -> Run:
    return casefinding_run(
        user=user,
        streams=[io.BytesIO(csv_bytes(HEADER, rows))],
        input_format="csv",
        source="upload",
        assessed_on=AS_OF,
        **kwargs,
    )


@pytest.mark.django_db
def test_a_run_stores_ids_groups_and_reasons_only():
    run = make_run()
    assert (run.rows_read, run.rows_skipped, run.patients_assessed) == (6, 1, 5)
    stored = {p.pseudonymous_id: p for p in run.patients.all()}
    assert set(stored) == {"vf1", "man1", "kyph1", "-1-1"}  # "none1" is in no group: counted, not stored
    assert stored["vf1"].group_ids == ["fracture_no_bone_protection", "register_code_missing"]
    assert stored["man1"].group_ids == ["under_65_or_male", "register_code_missing"]
    # Only what docs/case-finding.md lists: the reasons, age and sex (to sort and filter), the priority, and the
    # assessment input the extract gave (for the prefilled assessment), in the contract's own fields only.
    fields = {f.name for f in Patient._meta.get_fields()}
    assert fields == {
        "id", "run", "pseudonymous_id", "groups", "group_count", "not_assessed", "reasons", "age", "sex",
        "priority", "data",
    }  # fmt: skip
    assert stored["vf1"].age == 72 and stored["vf1"].sex == "female"
    assert set(stored["vf1"].data) <= set(SCHEMA) - {"assessor_role", "assessed_on", "input_version"}
    assert stored["vf1"].data["age"] == 72 and stored["vf1"].priority == WEIGHT["fracture_no_bone_protection"]
    reason = stored["vf1"].reasons[0]
    assert set(reason) == {"group", "status", "prompts", "because", "evidence", "missing", "facts", "next"}
    assert "age" not in reason["facts"] and "sex" not in reason["facts"]
    assert run.summary["errors"] == [{"line": 7, "field": "age", "message": "must be a whole number of years"}]


@pytest.mark.django_db
def test_a_run_is_audited_with_counts_only(make_user):
    user = make_user("gp1", role="gp")
    run = make_run(user)
    event = AuditEvent.objects.get(event=AuditEvent.Event.EVALUATION, target_id=str(run.pk))
    assert event.detail["channel"] == "casefinding"
    assert event.detail["rows_read"] == 6 and event.detail["groups"]["fracture_no_bone_protection"] == 1
    assert "vf1" not in str(event.detail)


@pytest.mark.django_db
@pytest.mark.parametrize("data", [b"", b"patient_id,age,sex\n\xff\xfe,80,female\n", b'patient_id,age,sex\na,80,"fem'])
def test_unusable_input_stores_nothing(data):
    with pytest.raises(UnusableInput):
        casefinding_run(streams=[io.BytesIO(data)], input_format="csv", source="command", assessed_on=AS_OF)
    assert Run.objects.count() == 0 and Patient.objects.count() == 0
    assert AuditEvent.objects.get(event=AuditEvent.Event.EVALUATION).detail["outcome"] == "unusable_input"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (lambda: (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "--as-of must not be in the future"),
        (lambda: "2099-01-01", "--as-of must not be in the future"),
        (lambda: "20260101", "--as-of must be a date, YYYY-MM-DD"),
        (lambda: "2026-W48", "--as-of must be a date, YYYY-MM-DD"),
        # An ISO week date is ten characters, like YYYY-MM-DD: the contract's one date parser refuses it here as
        # the API and manage.py evaluate do.
        (lambda: "2026-W01-1", "--as-of must be a date, YYYY-MM-DD"),
    ],
)
def test_the_command_refuses_an_as_of_date_in_the_future_or_another_form_and_stores_nothing(
    tmp_path, capsys, as_of, message
):
    """Ages, recency and durations worked out for a day that has not come would list the wrong patients. Exit 2
    with the field named, as for every input the command cannot use."""
    path = tmp_path / "extract.csv"
    path.write_bytes(csv_bytes(HEADER, ROWS))
    with pytest.raises(SystemExit) as exit_info:
        call_command("casefind", str(path), "--format", "csv", "--as-of", as_of(), stdout=io.StringIO())
    assert exit_info.value.code == 2
    assert json.loads(capsys.readouterr().err) == {"errors": [{"field": "--as-of", "message": message}]}
    assert Run.objects.count() == 0 and Patient.objects.count() == 0


@pytest.mark.django_db
def test_a_run_for_a_future_date_is_refused_and_stores_nothing():
    with pytest.raises(UnusableInput, match="in the future"):
        casefinding_run(
            streams=[io.BytesIO(csv_bytes(HEADER, ROWS))],
            input_format="csv",
            source="command",
            assessed_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert Run.objects.count() == 0 and Patient.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_late_in_the_file_leaves_nothing_partial():
    """The first chunk is stored before the file's end is reached; the truncated end rolls it back."""
    rows = [[f"p{i}", "80", "female", "", "", "", "true"] for i in range(2500)]
    data = csv_bytes(HEADER, rows) + b'p9999,80,female,,,,"tru'
    with pytest.raises(UnusableInput, match="truncated"):
        casefinding_run(streams=[io.BytesIO(data)], input_format="csv", source="command", assessed_on=AS_OF)
    assert Run.objects.count() == 0 and Patient.objects.count() == 0


@pytest.mark.django_db
def test_runs_past_the_retention_period_are_purged(settings):
    settings.CASEFINDING_RETENTION_DAYS = 30
    old, recent = make_run(), make_run()
    Run.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=31))
    Run.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=29))
    assert casefinding_purge() == 1
    assert list(Run.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Patient.objects.filter(run_id=old.pk).exists()


@pytest.mark.django_db
def test_no_page_shows_an_expired_run_and_the_purge_command_deletes_it(client, make_user, settings):
    """Deleting is the cron command's job alone (a GET never writes); meanwhile no page shows or links the run."""
    settings.CASEFINDING_RETENTION_DAYS = 7
    run = make_run()
    Run.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    client.force_login(make_user("gp1", role="gp"))
    patient = run.patients.first()
    assert client.get(f"/casefinding/runs/{run.pk}/").status_code == 404
    assert client.get(f"/casefinding/runs/{run.pk}/export.csv").status_code == 404
    assert client.get(f"/casefinding/patients/{patient.pk}/status/").status_code == 404
    assert str(run.pk) not in client.get("/casefinding/").content.decode()
    assert Run.objects.filter(pk=run.pk).exists()  # kept until the purge runs
    out = io.StringIO()
    call_command("casefind_purge", stdout=out)
    assert "Deleted 1 run(s) older than 7 days" in out.getvalue() and not Run.objects.exists()


@pytest.mark.django_db
def test_worklist_filters():
    run = make_run()
    ids = lambda qs: sorted(p.pseudonymous_id for p in qs)  # noqa: E731
    assert ids(worklist(run, group="imaging_trigger_no_imaging")) == ["-1-1", "kyph1"]
    assert ids(worklist(run, group="under_65_or_male")) == ["man1"]
    assert ids(worklist(run, at_least=1)) == ["-1-1", "kyph1", "man1", "vf1"]
    # The coded vertebral fractures (by their own concepts, no FF_COD) are also off the QOF register (issue 26).
    assert ids(worklist(run, at_least=2)) == ["man1", "vf1"]
    assert ids(worklist(run, group="register_code_missing")) == ["man1", "vf1"]


@pytest.mark.django_db
def test_export_guards_against_formula_injection_and_is_audited(make_user):
    user = make_user("gp1", role="gp")
    run = make_run()
    text = export_csv(user=user, run=run, patients=worklist(run), filters={"group": "", "at_least": 0})
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "patient_id", "age", "sex", "priority", "group", "in_group", "reason", "next_step", "status", "look_again_on"
    ]  # fmt: skip
    assert {r[0] for r in rows if "1-1" in r[0]} == {"'-1-1"}
    # One row per patient and reason, each with the patient's status.
    assert len(rows) - 1 == sum(len(p.reasons) for p in run.patients.all())
    assert {r[8] for r in rows[1:]} == {"open"}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    event = AuditEvent.objects.get(event=AuditEvent.Event.VIEW, detail__page="export")
    assert event.detail["patients_exported"] == 4 and event.detail["channel"] == "casefinding"


# --- pages ---------------------------------------------------------------------------------------------------------


def upload(client, data: bytes, fmt: str = "csv"):
    return client.post(
        "/casefinding/", {"input_format": fmt, "files": SimpleUploadedFile("extract.csv", data, "text/csv")}
    )


@pytest.mark.django_db
def test_upload_page_runs_and_shows_the_worklist(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    response = upload(client, csv_bytes(HEADER, ROWS))
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casefinding/runs/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert 'data-patient-id="vf1"' in page and "Line 7, age: must be a whole number of years" in page
    assert f'action="/casefinding/patients/{run.patients.get(pseudonymous_id="vf1").pk}/assess/"' in page
    filtered = client.get(f"/casefinding/runs/{run.pk}/?group=under_65_or_male").content.decode()
    assert 'data-patient-id="man1"' in filtered and 'data-patient-id="vf1"' not in filtered
    views = AuditEvent.objects.filter(event=AuditEvent.Event.VIEW, detail__page="worklist")
    assert views.count() == 2 and views.first().detail["channel"] == "casefinding"


@pytest.mark.django_db
def test_admins_see_the_worklist_without_assessment_links(client, make_user):
    client.force_login(make_user("admin1", role="admin"))
    upload(client, csv_bytes(HEADER, ROWS))
    page = client.get(f"/casefinding/runs/{Run.objects.get().pk}/").content.decode()
    assert 'data-patient-id="vf1"' in page and "/assess/" not in page


@pytest.mark.django_db
def test_an_empty_upload_is_refused_by_the_form(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    response = upload(client, b"")
    assert response.status_code == 400 and "The file is empty" in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, words",
    [
        (b"patient_id,age,sex\n\xff,80,female\n", "not UTF-8"),
        (b'patient_id,age,sex\na,80,"fem', "truncated"),
    ],
)
def test_an_unusable_upload_says_why_on_its_run_page_and_keeps_nothing(client, make_user, data, words, settings):
    client.force_login(make_user("gp1", role="gp"))
    response = upload(client, data)
    run = Run.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casefinding/runs/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "The case-finding run failed" in page and words in page and "Nothing was stored" in page
    assert run.status == Run.Status.FAILED and not run.patients.exists()
    assert not list(Path(settings.CASEFINDING_UPLOAD_DIR).glob("*/*"))  # the uploaded file is gone too


@pytest.mark.django_db
def test_the_formats_page_lists_every_column_the_parser_reads(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    assert 'href="/casefinding/formats/"' in client.get("/casefinding/").content.decode()
    page = client.get("/casefinding/formats/").content.decode()
    listed = set(re.findall(r'<td class="nhsuk-table__cell"><code>([a-z_.0-9]+)</code></td>', page))
    assert listed == set(extract.KNOWN_COLUMNS)
    onset = extract.answer_format(extract.ANSWER_COLUMNS["back_pain.onset"])
    assert onset.startswith("one of sudden") and f'<td class="nhsuk-table__cell">{onset}</td>' in page
    # The same columns are in the docs, so the two cannot drift apart.
    docs = (settings.BASE_DIR / "docs" / "case-finding.md").read_text()
    assert {c for c in extract.KNOWN_COLUMNS if c not in extract.ANSWER_COLUMNS} <= set(
        re.findall(r"`([a-z_0-9]+)`", docs)
    )


@pytest.mark.django_db
def test_values_not_used_are_listed_on_the_worklist(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    upload(
        client,
        csv_bytes(
            ["patient_id", "age", "sex", "heights_cm"], [["j1", "70", "female", "1650@2020-01-01;160@2026-06-01"]]
        ),
    )
    page = client.get(f"/casefinding/runs/{Run.objects.get().pk}/").content.decode()
    assert "Rows with a value not used" in page and "Line 2, height: height loss" in page and "1650" not in page


@pytest.mark.django_db
def test_no_file_chosen_asks_for_the_file(client, make_user):
    # A browser sends an empty file part when no file is chosen; Django drops it, leaving no files at all.
    client.force_login(make_user("gp1", role="gp"))
    response = client.post("/casefinding/", {"input_format": "csv"})
    page = response.content.decode()
    assert response.status_code == 400 and '<a href="#id_files">Choose the extract file to upload</a>' in page
    assert "no patient rows" not in page and not Run.objects.exists()


@pytest.mark.django_db
def test_an_oversized_upload_is_refused(client, make_user, settings):
    settings.CASEFINDING_MAX_UPLOAD_MB = 1
    client.force_login(make_user("gp1", role="gp"))
    response = upload(client, b"patient_id,age,sex\n" + b"a,80,female\n" * 100_000)
    assert response.status_code == 400 and "larger than 1 MB" in response.content.decode()
    assert not Run.objects.exists()


@pytest.mark.django_db
def test_the_export_download(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    upload(client, csv_bytes(HEADER, ROWS))
    response = client.get(f"/casefinding/runs/{Run.objects.get().pk}/export.csv?group=under_65_or_male")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert {r[0] for r in rows[1:]} == {"man1"}
    assert sorted(r[4] for r in rows[1:]) == sorted(
        GROUPS_BY_ID[g].title for g in ("under_65_or_male", "register_code_missing")
    )  # one row per reason


@pytest.mark.django_db
def test_the_prefilled_assessment_carries_everything_the_extract_gave(client, make_user):
    """Issue 26: it lost age and sex, so "Show prompts" answered "Age is required". Now it goes through the same
    short-lived draft CDS Hooks uses, with age, sex and the facts behind the reasons, and the pseudonymous id."""
    client.force_login(make_user("gp1", role="gp"))
    upload(client, csv_bytes(HEADER, ROWS))
    patient = Patient.objects.get(pseudonymous_id="vf1")
    response = client.post(f"/casefinding/patients/{patient.pk}/assess/")
    assert response.status_code == 302 and response["Location"].startswith("/assessments/new/?draft=")
    page = client.get(response["Location"])
    form = page.context["form"]
    assert form.initial["age"] == "72" and form.initial["sex"] == "female"
    assert form.initial["vertebral_fractures_known"] == "1"
    assert form.initial["record__vertebral_fracture_coded"] == "yes"
    assert form.initial["practice_reference"] == "vf1"
    # Submitting it as it stands assesses the patient: nothing required is missing.
    post = {k: v for k, v in form.initial.items() if v not in (None, "")}
    done = client.post("/assessments/new/", {**post, "action": "assess"})
    assert done.status_code == 302 and done["Location"].startswith("/assessments/"), done.content[:400]
    assert client.get(f"/casefinding/patients/{patient.pk}/assess/").status_code == 405  # a POST only


@pytest.mark.django_db
def test_patient_pages_by_role(client, make_user):
    """Worklist, export and the run list: GPs and admins; the prefilled assessment: clinical roles only."""
    run = make_run()
    patient = run.patients.first()
    urls = {
        f"/casefinding/runs/{run.pk}/": {"gp": 200, "admin": 200, "nurse": 403, "physio": 403},
        f"/casefinding/runs/{run.pk}/export.csv": {"gp": 200, "admin": 200, "nurse": 403, "physio": 403},
        f"/casefinding/patients/{patient.pk}/status/": {"gp": 200, "admin": 200, "nurse": 403, "physio": 403},
        f"/casefinding/runs/{run.pk}/progress": {"gp": 200, "admin": 200, "nurse": 403, "physio": 403},
        "/casefinding/formats/": {"gp": 200, "admin": 200, "nurse": 403, "physio": 403},
    }
    for url in urls:
        assert client.get(url).status_code == 302  # anonymous: to the login page
    for role in ("gp", "admin", "nurse", "physio"):
        client.force_login(make_user(f"u-{role}", role=role))
        for url, expected in urls.items():
            assert client.get(url).status_code == expected[role], (url, role)
        # The prefilled assessment is clinical work: a POST that makes the draft, for clinical roles only.
        assessed = client.post(f"/casefinding/patients/{patient.pk}/assess/").status_code
        assert assessed == (403 if role == "admin" else 302), role
    client.force_login(make_user("u-gp2", role="gp"))
    assert client.get("/casefinding/runs/00000000-0000-0000-0000-000000000000/").status_code == 404


@pytest.mark.django_db
def test_two_workers_store_the_same_worklist_and_leave_the_database_connection_usable(population):
    """The pool forks while the run's transaction is open (on PostgreSQL, a live connection): the workers never use
    it, so the parent stores every chunk and the connection still answers afterwards, on both databases."""

    def stored(workers: int) -> dict[str, str]:
        with (population / "population.csv").open("rb") as stream:
            run = casefinding_run(
                streams=[stream], input_format="csv", source="command", assessed_on=AS_OF, workers=workers
            )
        return dict(run.patients.values_list("pseudonymous_id", "groups"))

    one, two = stored(1), stored(2)
    assert len(one) > 100
    assert two == one
    assert Run.objects.count() == 2 and Patient.objects.count() == 2 * len(one)


@pytest.mark.django_db
def test_most_often_missing_is_ordered_by_count_then_label_whatever_order_the_database_keeps():
    run = make_run()
    group = "fracture_no_bone_protection"
    # jsonb (PostgreSQL) stores object keys in its own order; the page must not depend on it.
    run.summary["groups"][group]["why"] = {"b label": 2, "c label": 5, "a label": 2}
    run.save()
    run.refresh_from_db()
    row = next(r for r in group_rows(run) if r["group"].id == group)
    assert row["why"] == [("c label", 5), ("a label", 2), ("b label", 2)]


@pytest.mark.django_db
def test_rows_skipped_by_field_are_listed_by_field_name(client, make_user):
    client.force_login(make_user("gp1", role="gp"))
    run = make_run()
    # jsonb (PostgreSQL) keeps shorter keys first; the page lists fields by name on both databases.
    run.summary["skipped_by_field"] = {"sex": 1, "age": 2, "birth_date": 1}
    run.save()
    page = client.get(f"/casefinding/runs/{run.pk}/").content.decode()
    assert "(age: 2; birth_date: 1; sex: 1)" in page
