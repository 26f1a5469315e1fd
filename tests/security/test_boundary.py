"""Every entry point is total (issue 24): whatever arrives, the answer is a 4xx naming the field (or exit 2 from a
command), never a 5xx or a traceback, and nothing is stored. One input boundary per format (core/boundary.py)
is shared by the form, the API, ``manage.py evaluate``, CDS Hooks (tests/cdshooks/test_boundary.py) and
case-finding, so each is fuzzed here with the same hostile inputs."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.api.services import api_token_create
from apps.assessments.forms import QUESTIONS
from apps.assessments.models import Assessment
from apps.audit.models import AuditEvent
from apps.casefinding.models import Run
from core.boundary import MAX_DEPTH, MAX_DIGITS, BoundaryError, json_parse, number_text, text_lines
from core.rules.contract import iso_date

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VALID = {"input_version": 1, "age": 74, "sex": "female"}

# Hostile JSON documents: each one is unreadable or invalid, so every entry point must refuse it, store nothing.
huge_number = st.integers(min_value=MAX_DIGITS + 1, max_value=6000).map(lambda n: "9" * n)
hostile_json = st.one_of(
    # Thousands of digits (Python's int limit is 4,300) in a field the contract reads, or anywhere else.
    st.builds(
        lambda n, key: json.dumps({**VALID, key: 0}).replace(f'"{key}": 0', f'"{key}": {n}'),
        huge_number,
        st.sampled_from(["age", "weight_kg", "egfr", "unknown_field"]),
    ),
    st.builds(lambda n: '{"input_version": 1, "age": 1.' + n + ', "sex": "female"}', huge_number),
    st.builds(lambda n: '{"input_version": 1, "age": 7' + n[:3] + 'e400, "sex": "female"}', huge_number),
    # Nesting deeper than the boundary allows, up to far deeper than the decoder can follow.
    st.integers(min_value=MAX_DEPTH + 1, max_value=20_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=MAX_DEPTH + 1, max_value=5_000).map(lambda n: '{"a": ' * n + "1" + "}" * n),
    # Not JSON numbers, not JSON at all, not UTF-8.
    st.sampled_from(['{"age": NaN}', '{"age": Infinity}', "", "\ufeff", "{", "[1,]", "\x00"]),
    st.binary(min_size=1, max_size=40).map(lambda b: b"\xff" + b),
    # Dates in every ISO form but the calendar one, and impossible days.
    st.sampled_from(["2026-W01-1", "2026W011", "20260101", "2026-001", "2026-02-30", "2026-1-1", "２０２６-01-01"]).map(
        lambda d: json.dumps({**VALID, "assessed_on": d})
    ),
)


def _bytes(doc: str | bytes) -> bytes:
    return doc if isinstance(doc, bytes) else doc.encode("utf-8")


@pytest.fixture
def api_token(make_user) -> str:
    return api_token_create(user=make_user("api-fuzz"), name="fuzz")[1]


@pytest.fixture
def gp_client(client, make_user):
    client.force_login(make_user("gp-fuzz", role="gp"))
    return client


@pytest.mark.django_db
@FUZZ
@given(doc=hostile_json)
def test_the_api_answers_every_hostile_body_with_a_named_400_and_stores_nothing(client, api_token, doc):
    token = api_token
    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/evaluate", _bytes(doc), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert errors and all(e["field"] and e["message"] for e in errors)
    assert AuditEvent.objects.count() == before


@FUZZ
@given(doc=hostile_json)
def test_the_evaluate_command_exits_2_with_the_field_for_every_hostile_file(tmp_path_factory, capsys, doc):
    path = tmp_path_factory.mktemp("fuzz") / "input.json"
    path.write_bytes(_bytes(doc))
    with pytest.raises(SystemExit) as exit_info:
        call_command("evaluate", str(path), stdout=io.StringIO())
    assert exit_info.value.code == 2
    errors = json.loads(capsys.readouterr().err)["errors"]
    assert errors and all(e["field"] and e["message"] for e in errors)


NUMBER_FIELDS = sorted(q.name for q in QUESTIONS.values() if q.kind == "number")
hostile_typed = st.one_of(
    huge_number,
    huge_number.map(lambda n: "0." + n),
    huge_number.map(lambda n: "-" + n),
    st.sampled_from(["1e999", "nan", "inf", "7,5", "1_000", "٣", "\u2212" + "9" * 5000, "12" + "\x00"]),
    st.text(min_size=1, max_size=30).filter(lambda t: t.strip() and not t.strip().replace(".", "", 1).isdigit()),
)


@pytest.mark.django_db
@FUZZ
@given(field=st.sampled_from(NUMBER_FIELDS), value=hostile_typed)
def test_the_form_names_the_field_for_any_typed_number_and_stores_nothing(gp_client, field, value):
    client = gp_client
    data = {"age": "74", "sex": "female", field: value, "submit": "show"}
    before = (Assessment.objects.count(), AuditEvent.objects.filter(event="evaluation").count())
    response = client.post("/assessments/new/", data)
    assert response.status_code == 400, response.status_code
    assert "There is a problem" in response.content.decode()
    assert (Assessment.objects.count(), AuditEvent.objects.filter(event="evaluation").count()) == before


CSV_HEADER = "patient_id,age,sex"
hostile_csv = st.one_of(
    huge_number.map(lambda n: f"{CSV_HEADER},falls_last_year\r\np1,80,female,{n}\r\n"),
    huge_number.map(lambda n: f"{CSV_HEADER}\np1,{n},female\n"),
    st.sampled_from(
        ["", "\ufeff", "not,a,header\n", f"{CSV_HEADER}\np1,80,female,extra\n", f'{CSV_HEADER}\n"p1,80,female\n']
    ),
    st.binary(min_size=1, max_size=40).map(lambda b: CSV_HEADER.encode() + b"\n\xff" + b),
)
hostile_ndjson = st.one_of(
    huge_number.map(lambda n: '{"resourceType": "Patient", "id": "p1", "x": ' + n + "}\n"),
    st.integers(min_value=MAX_DEPTH + 1, max_value=5000).map(lambda n: "[" * n + "]" * n + "\n"),
    st.sampled_from(["", "{\n", '{"resourceType": "Patient"'.ljust(40) + "\n" + '{"resourceType"']),
)


def _no_patients_listed_badly() -> None:
    # A run either completed (its rows refused one by one, with reasons) or failed keeping no patients, saying why.
    for run in Run.objects.filter(complete=False):
        assert run.status == Run.Status.FAILED and run.error and not run.patients.exists()


@pytest.mark.django_db
@FUZZ
@given(fmt_doc=st.one_of(hostile_csv.map(lambda d: ("csv", d)), hostile_ndjson.map(lambda d: ("ndjson", d))))
def test_the_casefinding_command_never_tracebacks(tmp_path_factory, capsys, fmt_doc):
    fmt, doc = fmt_doc
    path = tmp_path_factory.mktemp("fuzz") / f"extract.{fmt}"
    path.write_bytes(_bytes(doc))
    runs = Run.objects.count()
    try:
        call_command("casefind", str(path), "--format", fmt, "--workers", "1", stdout=io.StringIO())
    except SystemExit as exc:
        assert exc.code == 2
        errors = json.loads(capsys.readouterr().err)["errors"]
        assert errors[0]["field"] and errors[0]["message"]
        assert Run.objects.count() == runs  # refused: nothing stored
    else:
        # Read, with the unreadable rows skipped and counted (each input has at least one).
        run = Run.objects.latest("created_at")
        assert run.complete and run.rows_skipped >= 1
    _no_patients_listed_badly()


@pytest.mark.django_db
@FUZZ
@given(fmt_doc=st.one_of(hostile_csv.map(lambda d: ("csv", d)), hostile_ndjson.map(lambda d: ("ndjson", d))))
def test_the_casefinding_upload_never_gives_a_server_error(gp_client, fmt_doc):
    client = gp_client
    fmt, doc = fmt_doc
    upload = SimpleUploadedFile(f"extract.{fmt}", _bytes(doc), content_type="text/plain")
    runs = Run.objects.count()
    response = client.post("/casefinding/", {"input_format": fmt, "files": [upload]})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:  # refused by the form, saying why, and nothing stored
        assert "There is a problem" in response.content.decode()
        assert Run.objects.count() == runs
    else:  # read in the background: the unreadable rows skipped and counted, or the run failed saying why
        run = Run.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])
        if run.status == Run.Status.FAILED:
            assert run.error.startswith("Nothing was stored.") and not run.patients.exists()
            page = client.get(response["Location"])
            assert page.status_code == 200 and "There is a problem" in page.content.decode()
        else:
            assert run.rows_skipped >= 1
    _no_patients_listed_badly()


# --- the boundary itself ---------------------------------------------------------------------------------------------


def test_json_numbers_deep_nesting_and_bom():
    assert json_parse(b"\xef\xbb\xbf" + json.dumps(VALID).encode()) == VALID
    assert json_parse("1" * MAX_DIGITS) == int("1" * MAX_DIGITS)
    with pytest.raises(BoundaryError, match="more than 30 digits"):
        json_parse("1" * (MAX_DIGITS + 1))
    assert json_parse("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(BoundaryError, match="nested too deeply"):
        json_parse("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    with pytest.raises(BoundaryError, match="too large to hold"):
        json_parse("1e999")
    with pytest.raises(BoundaryError, match="NaN"):
        json_parse("NaN")


def test_typed_numbers():
    assert number_text(" 7.5 ", field="x") == 7.5 and number_text("\u22122", field="x") == -2
    for bad in ("7,5", "1e3", "", "9" * (MAX_DIGITS + 1)):
        with pytest.raises(BoundaryError):
            number_text(bad, field="x")


def test_one_calendar_date_form():
    assert iso_date("2026-01-05").isoformat() == "2026-01-05"
    for other in ("2026-W01-1", "20260105", "2026-005", "2026-02-30", " 2026-01-05", 20260105, None):
        assert iso_date(other) is None


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_text_lines_end_however_the_file_was_saved(ending):
    data = b"\xef\xbb\xbfa,b" + ending + b"c,d" + ending
    assert [line.rstrip("\r\n") for line in text_lines(io.BytesIO(data))] == ["a,b", "c,d"]


def test_text_lines_name_the_line_that_is_not_utf8():
    with pytest.raises(BoundaryError, match="not UTF-8"):
        list(text_lines(io.BytesIO(b"ok\n\xff\n")))


# --- one parser each: what one entry point accepts, the others accept too ----------------------------------------


def test_the_evaluate_command_accepts_a_byte_order_mark_as_the_api_does(tmp_path, capsys):
    path = tmp_path / "input.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(VALID).encode())
    call_command("evaluate", str(path), stdout=(out := io.StringIO()))
    assert json.loads(out.getvalue())["input_version"] == 1


@pytest.mark.django_db
def test_the_casefinding_command_reads_cr_only_csv_as_the_upload_does(tmp_path):
    path = tmp_path / "extract.csv"
    path.write_bytes(f"{CSV_HEADER}\rp1,80,female\rp2,81,male\r".encode())
    call_command("casefind", str(path), "--format", "csv", "--workers", "1", stdout=io.StringIO())
    run = Run.objects.get()
    assert (run.rows_read, run.rows_skipped, run.complete) == (2, 0, True)


@pytest.mark.django_db
def test_the_api_refuses_a_week_date_as_casefind_does(client, api_token):
    response = client.post(
        "/api/v1/evaluate",
        json.dumps({**VALID, "assessed_on": "2026-W01-1"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_token}",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": [{"field": "assessed_on", "message": "must be a date as YYYY-MM-DD"}]}


def _reference_depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((_reference_depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((_reference_depth(v) for v in value), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-9, 9) | st.text(alphabet='[]{}x"', max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet="ab{", max_size=2), inner, max_size=3),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(JSON_VALUES)
def test_the_nesting_check_counts_as_a_recursive_walk_would(value):
    from core import boundary

    assert boundary._depth(value) == _reference_depth(value)


def test_the_nesting_limit_holds_with_brackets_in_strings_and_wide_documents():
    """The walk is skipped only when the text has too few brackets to nest that deep."""
    deep = "[" * MAX_DEPTH + '"{[{["' + "]" * MAX_DEPTH
    assert json_parse(deep) is not None
    wide = json.dumps({"entry": [{"resource": {"a": [1]}} for _ in range(100)]})
    assert json_parse(wide)["entry"][99] == {"resource": {"a": [1]}}
    with pytest.raises(BoundaryError, match="nested too deeply"):
        json_parse(json.dumps({"padding": "[" * 100, "deep": json.loads("[" * 65 + "]" * 65)}))
