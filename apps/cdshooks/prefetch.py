"""Prefetch templates, and fetching what the CDS Client did not prefetch from its FHIR server.

CDS Hooks 2.0, "Providing FHIR Resources to a CDS Service" (https://cds-hooks.hl7.org/2.0/#providing-fhir-resources-
to-a-cds-service): a key the client did not satisfy is absent, or holds an OperationOutcome saying why its query
failed; a key with no data is null. The service fetches what is absent or failed with ``fhirAuthorization`` from
``fhirServer``, and answers 412 when it cannot get it.

Templates use only ``{{context.patientId}}`` (a root-level primitive of both hooks' contexts) and type-level
searches by patient reference, within the spec's recommended query subset. Observations are narrowed to the codes
the FHIR mapping reads (height, weight, BMD T-score, eGFR, calcium, vitamin D, and answers in the SpinePrompt code
system): the template is generated from core/fhir's value sets, so it cannot drift from them, and the EHR sends only
what is needed (data minimisation; a GP record holds thousands of other Observations).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from core.boundary import BoundaryError, json_parse
from core.fhir import valuesets

from .security import fhir_base


def _observation_codes() -> str:
    """Comma-separated FHIR search tokens (OR): every system|code of the observation value set, then the SpinePrompt
    answer system (``system|`` matches any code in it)."""
    rows = [r for r in valuesets.load("observations") if r.system != valuesets.NAME_SYSTEM]
    tokens = [f"{r.system}|{r.code}" for r in rows] + [f"{valuesets.SPINEPROMPT_SYSTEM}|"]
    return ",".join(tokens)


PREFETCH: dict[str, str] = {
    "patient": "Patient/{{context.patientId}}",
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}&code=" + _observation_codes(),
    # _include: the Medication a request names by medicationReference comes in the same searchset (FHIR R4 search,
    # "_include"), so a coded reference is not "not found" because no one asked for it.
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}&_include=MedicationRequest:medication",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}",
    # _include: the results a report links to come too, as some systems hold the report text there.
    "diagnosticReports": "DiagnosticReport?patient={{context.patientId}}&_include=DiagnosticReport:result",
}

_TOKEN = re.compile(r"\{\{\s*context\.([A-Za-z]+)\s*\}\}")
# A Bundle of search results may be paged; follow "next" on the same server, within reason.
MAX_PAGES = 20
MAX_RESPONSE_BYTES = 20 * 1024 * 1024


class PrefetchUnavailable(Exception):
    """Data the service needs could not be obtained (412). The message names the prefetch key, never data."""


def fill_template(template: str, context: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        value = context.get(match.group(1))
        if not isinstance(value, str) or not value:
            raise PrefetchUnavailable(f"context.{match.group(1)} is needed for the prefetch query")
        return urllib.parse.quote(value, safe="")

    return _TOKEN.sub(replace, template)


def prefetch_complete(
    *,
    prefetch: dict[str, Any] | None,
    context: dict[str, Any],
    fhir_server: str | None,
    authorization: dict | None,
    allowed_servers: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Every prefetch key with its data: as sent, or fetched from the FHIR server. Null (no data) stays null.

    A key whose value is an OperationOutcome (CDS Hooks 2.0: the client's prefetch query failed) is treated exactly
    like a key left out: it says nothing about the patient, so it is fetched, or the call gets 412."""
    given = {key: value for key, value in (prefetch or {}).items() if not _is_outcome(value)}
    failed = {key for key, value in (prefetch or {}).items() if _is_outcome(value)}
    _follow_pages(given, fhir_server, authorization, allowed_servers)
    missing = [key for key in PREFETCH if key not in given]
    if not missing:
        return given
    if not fhir_server or not authorization:
        why = "failed (the client sent an OperationOutcome)" if missing[0] in failed else "was not sent"
        lacking = "there is no fhirServer to fetch it from" if not fhir_server else "no fhirAuthorization was sent"
        raise PrefetchUnavailable(f"prefetch {missing[0]} {why} and {lacking}")
    base = fhir_base(fhir_server)
    if not scheme_allowed(base):
        raise PrefetchUnavailable("fhirServer must be an https URL")
    if base not in allowed_servers:
        # Only a server configured for this CDS Client (its issuer's fhir_servers): never any URL a call names.
        raise PrefetchUnavailable(
            f"prefetch {missing[0]} must be fetched, and fhirServer is not a FHIR server configured for this client"
        )
    for key in missing:
        given[key] = _fetch(base, fill_template(PREFETCH[key], context), authorization["access_token"], key)
    return given


def scheme_allowed(base: str) -> bool:
    """https, or plain http where CDS_HOOKS_ALLOW_HTTP_FHIR allows it (local testing only)."""
    scheme = urllib.parse.urlsplit(base).scheme.lower()
    return scheme == "https" or (scheme == "http" and settings.CDS_HOOKS_ALLOW_HTTP_FHIR)


def _follow_pages(
    given: dict[str, Any], fhir_server: str | None, authorization: dict | None, allowed_servers: frozenset[str]
) -> None:
    """A prefetch searchset the client sent one page at a time (a "next" link) is completed from fhirServer with
    fhirAuthorization, when that server is configured for this client. Otherwise, or if a page cannot be had, it
    stays as sent: the answer's first card then says the record was read only in part (services._paged)."""
    paged = [key for key, value in given.items() if _next_link(value)]
    if not paged or not fhir_server or not isinstance(authorization, dict):
        return
    base = fhir_base(fhir_server)
    if base not in allowed_servers or not scheme_allowed(base):
        return
    for key in paged:
        try:
            given[key] = _all_pages(base, given[key], authorization["access_token"], key)
        except PrefetchUnavailable:
            continue  # read in part, and said


def _is_outcome(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could send the bearer token elsewhere: refuse it.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.OpenerDirector()
for _handler in (
    urllib.request.HTTPHandler,
    urllib.request.HTTPSHandler,
    _NoRedirect,
    urllib.request.HTTPDefaultErrorHandler,
    urllib.request.HTTPErrorProcessor,
):
    _OPENER.add_handler(_handler())


def _get(url: str, token: str, key: str) -> Any:
    request = urllib.request.Request(
        url, headers={"Accept": "application/fhir+json", "Authorization": f"Bearer {token}"}, method="GET"
    )
    try:
        with _OPENER.open(request, timeout=settings.CDS_HOOKS_FHIR_TIMEOUT_SECONDS) as response:
            if response.status != 200:
                raise PrefetchUnavailable(f"the FHIR server answered {response.status} for {key}")
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except PrefetchUnavailable:
        raise
    except urllib.error.HTTPError as exc:
        raise PrefetchUnavailable(f"the FHIR server answered {exc.code} for {key}") from None
    except (OSError, ValueError):  # URLError, timeouts, refused connections, bad URLs
        raise PrefetchUnavailable(f"the FHIR server could not be reached for {key}") from None
    if len(body) > MAX_RESPONSE_BYTES:
        raise PrefetchUnavailable(f"the FHIR server's answer for {key} is too large")
    try:
        data = json_parse(body)
    except BoundaryError:
        raise PrefetchUnavailable(f"the FHIR server's answer for {key} is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        raise PrefetchUnavailable(f"the FHIR server's answer for {key} is not a FHIR resource")
    if _is_outcome(data):
        raise PrefetchUnavailable(f"the FHIR server answered an OperationOutcome for {key}")
    return data


def _encoded(query: str) -> str:
    """The filled template with each search value percent-encoded (``|`` and ``:`` in code tokens), commas kept as
    FHIR's "or" separator. Values are unquoted first, so the already-quoted patient id is not quoted twice."""
    path, sep, search = query.partition("?")
    if not sep:
        return query
    params = []
    for part in search.split("&"):
        name, eq, value = part.partition("=")
        params.append(name + eq + urllib.parse.quote(urllib.parse.unquote(value), safe=","))
    return f"{path}?{'&'.join(params)}"


def _fetch(base: str, query: str, token: str, key: str) -> Any:
    """One prefetch query; a search's pages are gathered into one searchset Bundle (no next links, as prefetch)."""
    data = _get(f"{base}/{_encoded(query)}", token, key)
    if data["resourceType"] != "Bundle":
        return data
    return _all_pages(base, data, token, key)


def _next_link(bundle: Any) -> Any:
    links = bundle.get("link") if isinstance(bundle, dict) else None
    if not isinstance(links, list):
        return None
    return next((x.get("url") for x in links if isinstance(x, dict) and x.get("relation") == "next"), None)


def _all_pages(base: str, data: dict[str, Any], token: str, key: str) -> dict[str, Any]:
    """A searchset with every page's entries, following "next" on the same server only (never a URL elsewhere:
    the bearer token would go with it)."""
    entries = list(data.get("entry") or [])
    for _ in range(MAX_PAGES):
        nxt = _next_link(data)
        if not nxt:
            return {"resourceType": "Bundle", "type": "searchset", "entry": entries}
        if not isinstance(nxt, str) or not nxt.startswith(base + "/"):
            raise PrefetchUnavailable(f"the FHIR server's next page for {key} is on another server")
        data = _get(nxt, token, key)
        entries += list(data.get("entry") or [])
    raise PrefetchUnavailable(f"the FHIR server's answer for {key} has too many pages")
