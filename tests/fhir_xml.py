"""FHIR R4 XML to FHIR JSON, for test fixtures published only as XML (the UK Core examples).

Small on purpose: it knows each element's JSON name, whether it repeats and whether it is a primitive from
fhirclient's generated R4 models (``elementProperties``), so the JSON has arrays exactly where R4 has them. Narrative
is dropped (nothing reads it); primitives' ``id`` and extensions are not carried (the fixtures have none).
"""

from __future__ import annotations

import importlib
import xml.etree.ElementTree as ET
from typing import Any

from fhirclient.models.fhirabstractbase import FHIRAbstractBase

NS = "{http://hl7.org/fhir}"


def _model(resource_type: str) -> type:
    return getattr(importlib.import_module(f"fhirclient.models.{resource_type.lower()}"), resource_type)


def _primitive(kind: Any, raw: str) -> Any:
    if kind is bool:
        return raw == "true"
    if kind is int:
        return int(raw)
    if kind is float:
        return int(raw) if raw.lstrip("-").isdigit() else float(raw)
    return raw  # strings, codes, uris and the date and time types (their JSON is the same text)


def _element(node: ET.Element, cls: type) -> dict[str, Any]:
    props = {p[1]: p for p in cls().elementProperties()}
    out: dict[str, Any] = {}
    for name, value in node.attrib.items():  # url on extensions, id on elements
        if name in props:
            out[name] = value
    for child in node:
        tag = child.tag.removeprefix(NS)
        if tag not in props:
            continue
        _, jsname, kind, is_list, _, _ = props[tag]
        if getattr(kind, "__name__", "") == "Narrative":
            continue
        if isinstance(kind, type) and issubclass(kind, FHIRAbstractBase):
            if kind.__name__ in ("Resource", "DomainResource"):  # contained: the child names its type
                inner = next(iter(child))
                value: Any = resource(inner)
            else:
                value = _element(child, kind)
        else:
            value = _primitive(kind, child.attrib.get("value", ""))
        if is_list:
            out.setdefault(jsname, []).append(value)
        else:
            out[jsname] = value
    return out


def resource(node: ET.Element) -> dict[str, Any]:
    resource_type = node.tag.removeprefix(NS)
    return {"resourceType": resource_type, **_element(node, _model(resource_type))}


def parse(text: str) -> dict[str, Any]:
    return resource(ET.fromstring(text))
