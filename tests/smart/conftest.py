"""The simulated EHR (tests/smart/ehr.py), configured as the one EHR allowed to launch SpinePrompt."""

from __future__ import annotations

import http.client
import json
import urllib.parse
from typing import Any

import pytest

from tests.cdshooks.conftest import ec_key, issuers, patient_prefetch, rsa_key, sign  # noqa: F401 (fixtures)

from .ehr import Ehr, start

FRAME_ORIGIN = "https://gp-system.example.test"


def record(patient_id: str = "p1") -> dict[str, Any]:
    """The CDS Hooks tests' woman of 76 with a coded vertebral fracture, as the EHR's FHIR API serves her."""
    prefetch = patient_prefetch(patient_id)
    return {
        "Patient": prefetch["patient"],
        "Condition": prefetch["conditions"],
    }


@pytest.fixture
def ehr(settings):
    sim = Ehr(resources=record())
    server, _ = start(sim)
    settings.CDS_HOOKS_ALLOW_HTTP_FHIR = True  # the simulated EHR is plain http on 127.0.0.1
    settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS = 3
    configure(settings, sim)
    yield sim
    server.shutdown()
    server.server_close()


def configure(settings, sim: Ehr, **extra: Any) -> None:
    entry = {"iss": sim.fhir, "client_id": sim.client_id, "frame_origins": [FRAME_ORIGIN]}
    if sim.client_secret:
        entry["client_secret"] = sim.client_secret
    entry.update(extra)
    settings.SMART_ISSUERS = json.dumps({"issuers": [entry]})
    settings.SMART_ISSUERS_FILE = ""


def launch(client, sim: Ehr, *, iss: str | None = None) -> Any:
    """Launch as the EHR does, follow the browser to the EHR's authorize endpoint and back: the callback's response."""
    response = client.get("/smart/launch", {"iss": iss or sim.fhir, "launch": sim.new_launch()})
    if response.status_code != 302:
        return response
    to = urllib.parse.urlsplit(response["Location"])
    conn = http.client.HTTPConnection(to.netloc, timeout=5)
    conn.request("GET", f"{to.path}?{to.query}")
    at_ehr = conn.getresponse()
    assert at_ehr.status == 302, at_ehr.read()
    back = urllib.parse.urlsplit(at_ehr.getheader("Location"))
    conn.close()
    return client.get(f"{back.path}?{back.query}")
