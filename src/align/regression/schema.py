"""The one schema of ``expect.json`` (``expect.schema.json``, shipped with the package): the
fixture reader validates what it reads against it, the review exporter what it writes.

A violation is one line, ``NAME: where: what``, where ``where`` is the JSON path of the object
at fault (``expect.json`` for the top level, ``aligned[2]``, ``supported``), so a user finds it
without reading the schema. jsonschema is imported here, on first use: it costs a tenth of a
second, which ``import align`` and the pytest plugin must not pay.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from align.errors import InputError
from align.regression import EXPECT

if TYPE_CHECKING:
    from jsonschema import ValidationError
    from jsonschema.protocols import Validator

SCHEMA = "expect.schema.json"

# Which of several violations is shown: the shallowest, and within one object the kinds of
# problem in the order a person fixes them (its type, a key that is not allowed, a missing key).
_FIRST = ("type", "additionalProperties", "required")


def schema() -> dict[str, Any]:
    """The JSON Schema of expect.json, as shipped."""
    return json.loads(resources.files(__package__).joinpath(SCHEMA).read_text(encoding="utf-8"))


@cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def validate(data: Any, name: str) -> None:
    """Raise ``InputError("NAME: where: what")`` for the first violation of the schema in ``data``."""
    errors = sorted(_validator().iter_errors(data), key=_rank)  # stable: ties keep the validator's order
    if errors:
        raise InputError(f"{name}: {_message(errors[0])}")


def _rank(error: ValidationError) -> tuple[int, int]:
    kind = str(error.validator)
    return len(error.path), _FIRST.index(kind) if kind in _FIRST else len(_FIRST)


def _message(error: ValidationError) -> str:
    path, kind, instance = list(error.path), str(error.validator), error.instance
    types = ([error.validator_value] if isinstance(error.validator_value, str) else list(error.validator_value)) \
        if kind == "type" else []
    # A problem is with an object as a whole (named by its path), or with a value: a key of its object.
    if "object" in types or (kind != "type" and isinstance(instance, dict)):
        where, key = _where(path), ""
    else:
        split = max(i for i, step in enumerate(path) if isinstance(step, str))  # zh[1] is a key of the top level
        where, key = _where(path[:split]), _key(path[split:])
    actual = _a(_json_type(instance))
    if kind == "type":
        if not key:
            return f"{where}: expected an object, not {actual}"
        return f"{where}: {key} must be {' or '.join(_a(_TYPE_NAMES.get(t, t)) for t in types)}, not {actual}"
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        return f"{where}: unknown key {next(k for k in instance if k not in allowed)!r} (allowed: {', '.join(allowed)})"
    if kind == "required":
        return f"{where}: missing key {next(k for k in error.validator_value if k not in instance)!r}"
    if kind == "enum":
        return f"{where}: {key} must be one of {', '.join(map(str, error.validator_value))}, not {instance!r}"
    if "errorMessage" in error.schema:
        return f"{where}: " + error.schema["errorMessage"].format(key=key, value=repr(instance))
    return f"{where}: {key + ': ' if key else ''}{error.message}"


def _where(path: Sequence[str | int]) -> str:
    """The object at ``path`` as messages name it: ``expect.json`` (the top level), ``aligned[2]``, ``supported``."""
    return _key(path) if path else EXPECT


def _key(path: Sequence[str | int]) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")


_TYPE_NAMES = {"array": "list"}  # the messages speak of lists, as FIXTURES.md does


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return {str: "string", list: "list", dict: "object", type(None): "null"}[type(value)]


def _a(kind: str) -> str:
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"
