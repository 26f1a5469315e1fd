"""core.fhir.models.build makes what fhirclient's constructors make, and refuses what they refuse.

The fast builder exists for speed only (issue 28), so it is held to fhirclient itself: every resource in the
public examples and test data (HL7 R4, Synthea, the CDS Hooks spec's examples, the FHIR vignettes and edge cases,
the synthetic population) and generated bad versions of them (wrong types, unknown elements, missing required
elements, bad dates) give the same object, attribute by attribute, or the same refusal."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.fhirabstractbase import FHIRAbstractBase
from fhirclient.models.fhirdate import FHIRDate
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.fhir.bundles import bundle_resources
from core.fhir.mapping import MODELS
from core.fhir.models import build

DATA = Path(__file__).resolve().parents[1] / "data"


def _walk(value: Any):
    """Every resource in a JSON document: Bundles and prefetch objects opened, contained resources included."""
    if isinstance(value, dict):
        if isinstance(value.get("resourceType"), str):
            yield value
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def corpus() -> list[dict]:
    found: list[dict] = []
    for path in sorted(DATA.rglob("*")):
        if path.suffix == ".json":
            found.extend(_walk(json.loads(path.read_text(encoding="utf-8"))))
        elif path.name.endswith((".ndjson", ".ndjson.gz")):
            opener = gzip.open if path.suffix == ".gz" else open
            with opener(path, "rt", encoding="utf-8") as fh:
                found.extend(json.loads(line) for line in fh if line.strip())
    import random

    from core.casefinding.synth import population, resources

    rng = random.Random(5)
    for p in population(300, seed=5, today=dt.date(2026, 11, 23), planted_share=0.5):
        found.extend(resources(p, dt.date(2026, 11, 23), rng))
    from bench.cdshooks import synthetic_prefetch

    found.extend(bundle_resources(synthetic_prefetch()))
    return [r for r in found if r.get("resourceType") in MODELS]


CORPUS = corpus()


def same(a: Any, b: Any, path: str = "") -> None:
    """Two fhirclient objects alike: class, every attribute, recursively (owners by class only)."""
    assert type(a) is type(b), (path, type(a), type(b))
    if isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, FHIRDate):
        assert (a.origval, a.date) == (b.origval, b.date), path
    elif isinstance(a, FHIRAbstractBase):
        va, vb = vars(a), vars(b)
        assert set(va) == set(vb), (path, set(va) ^ set(vb))
        for key in va:
            if key == "_owner":
                assert type(va[key]) is type(vb[key]), f"{path}.{key}"
            else:
                same(va[key], vb[key], f"{path}.{key}")
    else:
        assert a == b, (path, a, b)


def outcome(model: type, raw: Any):
    try:
        return "ok", model(raw)
    except Exception as exc:  # fhirclient raises FHIRValidationError or Exception
        return "refused", exc


def check(raw: Any, model: type) -> None:
    kind, expected = outcome(model, raw)
    try:
        got = build(model, raw)
    except Exception as exc:
        assert kind == "refused", f"build refused what fhirclient accepts: {exc}"
        return
    assert kind == "ok", f"build accepted what fhirclient refuses: {expected}"
    same(expected, got)


def test_the_corpus_covers_every_mapped_type():
    assert {r["resourceType"] for r in CORPUS} == set(MODELS)
    assert len(CORPUS) > 1500


def test_every_example_resource_is_built_alike():
    differ = []
    for raw in CORPUS:
        try:
            check(raw, MODELS[raw["resourceType"]])
        except AssertionError as exc:
            differ.append(f"{raw['resourceType']}/{raw.get('id', '?')}: {exc}")
    assert differ == []


# Bad versions: one element replaced (at any depth) by a value of another JSON type, an unknown element added, or an
# element removed.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(["", "x", "2024-13-40", "2024-02", "2024-02-03T10:00:00Z", "abc/def"]),
    st.just([]),
    st.just({}),
    st.just([{}]),
    st.just(["x"]),
    st.just({"coding": "x"}),
)


def _places(value: Any, path: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*path, k))
            out.extend(_places(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*path, i))
            out.extend(_places(v, (*path, i)))
    return out


def _mutated(raw: dict, place: tuple, action: str, junk: Any) -> dict:
    copy = json.loads(json.dumps(raw))
    holder = copy
    for step in place[:-1]:
        holder = holder[step]
    last = place[-1]
    if action == "replace":
        holder[last] = junk
    elif action == "remove" and isinstance(holder, dict):
        del holder[last]
    elif action == "add" and isinstance(holder, dict):
        holder["notAnR4Element"] = junk
    return copy


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_bad_versions_are_refused_or_built_alike(data):
    raw = data.draw(st.sampled_from(CORPUS))
    places = _places(raw)
    place = data.draw(st.sampled_from(places)) if places else ("id",)
    if place == ("resourceType",):
        place = ("id",)
    action = data.draw(st.sampled_from(["replace", "remove", "add"]))
    bad = _mutated(raw, place, action, data.draw(JUNK))
    check(bad, MODELS[raw["resourceType"]])


@pytest.mark.parametrize(
    "raw",
    [
        {"resourceType": "Condition", "subject": {"reference": "Patient/a"}, "onsetDateTime": "not a date"},
        {"resourceType": "Observation", "code": {"text": "x"}},  # status missing
        {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueQuantity": [{"value": 1}]},
        {"resourceType": "Patient", "gender": ["female"]},
        {"resourceType": "Patient", "name": {"family": "x"}},
        {"resourceType": "Patient", "birthDate": 1950},
        {"resourceType": "Patient", "deceasedBoolean": "no"},
        {"resourceType": "Patient", "id": "p", "_gender": {"extension": []}},
        {"resourceType": "Condition", "subject": {"reference": "Patient/a"}, "onset": "x"},
        {"resourceType": "Medication", "id": "m", "contained": [{"resourceType": "Substance", "id": "s"}]},
        {"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "component": [1]},
        {"resourceType": "Condition", "resourceType2": 1},
    ],
)
def test_edge_cases_match_fhirclient(raw):
    check(raw, MODELS[raw["resourceType"]])


def test_a_resource_of_another_type_is_refused():
    with pytest.raises(Exception, match="resourceType"):
        build(MODELS["Patient"], {"resourceType": "Observation"})
