"""fhirclient R4 models built fast, with fhirclient's own validation rules (pure Python, no Django).

fhirclient builds a model by calling ``elementProperties()`` (a fresh list of every element, assembled through the
class hierarchy) for every object it makes, then looping over all of them, so a 7-element Observation costs as
much as a 40-element one: half of a CDS Hooks call and of an NDJSON case-finding run went there. This
module reads the same metadata once per class and then walks only the elements the JSON has. What it returns are
instances of the fhirclient classes themselves, with every attribute fhirclient would set (``isinstance`` and
attribute access work unchanged), and what it refuses is what fhirclient refuses, with the same messages: an
element of the wrong type (a list where one value belongs, or one value where a list belongs; for lists, like
fhirclient, the first item's type), a malformed date, a required element missing, an element the model does not
have (an R5-only element), a resourceType that does not match. ``tests/fhir/test_models.py`` checks both agree,
object by object, on every public example resource in tests/data and on generated bad input.

Contained resources (``Resource``-typed elements whose JSON names another type) go through fhirclient's own
factory, as they are rare.
"""

from __future__ import annotations

from typing import Any

from fhirclient.models.fhirabstractbase import FHIRAbstractBase, FHIRValidationError
from fhirclient.models.fhirabstractresource import FHIRAbstractResource


class _Meta:
    __slots__ = ("by_json", "defaults", "extra_ok", "is_resource", "required", "resource_type")

    def __init__(self, cls: type) -> None:
        probe = cls.__new__(cls)
        props = probe.elementProperties()
        # By JSON name: (attribute, type, is list, choice group). A later entry for the same name wins, as
        # fhirclient's loop assigns in order.
        self.by_json: dict[str, tuple[str, Any, bool, str | None]] = {}
        self.required: set[str] = set()
        self.extra_ok: set[str] = {"resourceType"}
        defaults: dict[str, Any] = {"_resolved": None, "_owner": None}
        for name, jsname, typ, is_list, of_many, not_optional in props:
            self.by_json[jsname] = (name, typ, is_list, of_many)
            self.extra_ok.add("_" + jsname)  # a primitive's extension element
            if of_many is not None:
                self.extra_ok.add(of_many)
            if not_optional:
                self.required.add(of_many or jsname)
            defaults[name] = None
        self.is_resource = issubclass(cls, FHIRAbstractResource)
        if self.is_resource:
            defaults["_server"] = None
        self.resource_type = getattr(cls, "resource_type", None)
        self.defaults = defaults


_META: dict[type, _Meta] = {}


def _meta(cls: type) -> _Meta:
    meta = _META.get(cls)
    if meta is None:
        meta = _META[cls] = _Meta(cls)
    return meta


def _matches_type(value: Any, typ: Any) -> bool:
    """fhirclient's FHIRAbstractBase._matches_type (Python 3)."""
    if value is None or isinstance(value, typ):
        return True
    if typ is int or typ is float:
        return isinstance(value, int | float)
    return False


def build(cls: type, jsondict: Any, owner: Any = None) -> Any:
    """``cls(jsondict)`` as fhirclient would make it (or raise as it would), faster."""
    meta = _meta(cls)
    if meta.is_resource and isinstance(jsondict, dict):
        rtype = jsondict.get("resourceType")
        if "resourceType" in jsondict and rtype != meta.resource_type:
            if owner is None:
                raise Exception(
                    f'Attempting to instantiate {cls} with resource data that defines a resourceType of "{rtype}"'
                )
            return cls.with_json_and_owner(jsondict, owner)  # a contained resource of another type: the factory
    if not isinstance(jsondict, dict):
        raise FHIRValidationError(f"Non-dict type {type(jsondict)} fed to `update_with_json` on {cls}")
    obj = cls.__new__(cls)
    obj.__dict__.update(meta.defaults)
    obj._owner = owner
    errs: list[Exception] = []
    found: set[str] = set()
    by_json = meta.by_json
    for key, value in jsondict.items():
        prop = by_json.get(key)
        if prop is None:
            if key not in meta.extra_ok:
                errs.append(AttributeError(f'Superfluous entry "{key}" in data for {obj}'))
            continue
        if value is None:
            continue
        name, typ, is_list, of_many = prop
        err: Exception | None = None
        if hasattr(typ, "with_json_and_owner"):
            try:
                value = _typed(typ, value, obj)
            except Exception as e:  # fhirclient catches everything here and reports it
                value, err = None, e
        if value is not None:
            testval = value
            if is_list:
                if not isinstance(value, list):
                    err = TypeError(
                        f'Wrong type {type(value)} for list property "{name}" on {cls}, expecting a list of {typ}'
                    )
                    testval = None
                else:
                    testval = value[0] if value else None
            if testval is not None and not _matches_type(testval, typ):
                err = TypeError(f'Wrong type {type(testval)} for property "{name}" on {cls}, expecting {typ}')
            else:
                setattr(obj, name, value)
            found.add(key)
            if of_many is not None:
                found.add(of_many)
        if err is not None:
            wrapped = err.prefixed(name) if isinstance(err, FHIRValidationError) else FHIRValidationError([err], name)
            errs.append(wrapped)
    if meta.required:
        for miss in meta.required - found:
            errs.append(KeyError(f'Non-optional property "{miss}" on {obj} is missing'))
    if errs:
        raise FHIRValidationError(errs)
    return obj


def _typed(typ: Any, value: Any, owner: Any) -> Any:
    """An element's value as its type: a model (or a list of them) built here, a FHIRDate by fhirclient."""
    if not (isinstance(typ, type) and issubclass(typ, FHIRAbstractBase)):
        return typ.with_json_and_owner(value, owner)  # FHIRDate and its kin: cheap, and exactly fhirclient's
    if isinstance(value, dict):
        return build(typ, value, owner)
    if isinstance(value, list):
        out = []
        for item in value:
            if not isinstance(item, dict):
                raise TypeError(
                    f"Can only use `_with_json_dict()` on {typ} with a dictionary, got {type(item)}"
                    if not issubclass(typ, FHIRAbstractResource)
                    else f"Cannot use this method with anything but a JSON dictionary, got {item}"
                )
            try:
                out.append(build(typ, item, owner))
            except FHIRValidationError as e:
                raise e.prefixed(str(len(out))) from None
        return out
    raise TypeError(f"`with_json()` on {typ} only takes dict or list of dict, but you provided {type(value)}")


__all__ = ["build"]
