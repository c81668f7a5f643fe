"""Input validation compiled from the model's constraints, once per operation.

Policy (applied to every operation, in this order):

1. Wrong JSON types - a string where a number is modelled, an object where a list is, an
   integer outside 32-bit range - answer ``SerializationException``. That is what AWS's JSON
   framework does: the body cannot be deserialised into the operation's input, so the
   operation never runs and no per-member message is possible.
2. Constraint violations - ``required``, string ``min``/``max`` length, number ``min``/``max``,
   list and map sizes, ``enum``, ``pattern`` - answer the operation's modelled validation
   error, ``InvalidInputException``, with AWS's framework wording
   (``1 validation error detected: Value at 'name' failed to satisfy constraint: ...``).
   Personalize declares ``InvalidInputException`` on 69 of its 71 operations; the two that do
   not (ListDatasetGroups, ListSchemas) get the framework's ``ValidationException`` with the
   same wording, because answering an undeclared modelled error would be less true than the
   generic one every AWS JSON service may send.
3. Unknown members are ignored, as AWS does: a newer client may send members an older
   server does not know, and JSON ``null`` counts as an absent member.

Patterns are matched the way AWS matches them: against the whole value, as Java's
``Matcher.matches()`` does, although the model writes only a leading ``^`` (so ``my group`` is
not a ``Name``); with Java semantics for ``\\d`` (ASCII digits) and ``.`` (any character but a
line terminator), and ``\\p{..}`` classes from the ``regex`` package.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import regex

from . import model
from .errors import ApiError, serialization

Checker = Callable[[Any, str, list], None]

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

# Constraint families that the strategy faults may switch off (see faults.py). Relaxing
# "whole-value" checks a pattern against a prefix of the value only.
RELAXABLE = frozenset({"length", "enum", "required", "whole-value"})

# Java's `.` stops at every line terminator, Python's only at "\n".
_JAVA_DOT = "[^\n\r\u0085\u2028\u2029]"


def java_pattern(pattern: str) -> str:
    """Rewrite ``\\d`` to ASCII digits and ``.`` to "not a line terminator", as Java reads them
    (Python's ``\\d`` is every Unicode digit and its ``.`` stops at ``\\n`` only)."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt == "d":
                out.append("0-9" if in_class else "[0-9]")
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if ch == "." and not in_class:
            out.append(_JAVA_DOT)
            i += 1
            continue
        if ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
        i += 1
    return "".join(out)


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _wrong_type(path: str, expected: str, value: Any) -> ApiError:
    got = "null" if value is None else type(value).__name__
    got = {"str": "string", "bool": "boolean", "dict": "object", "list": "array",
           "int": "number", "float": "number"}.get(got, got)
    return serialization(f"Value at '{path or '$'}' must be a {expected}, not {got}.")


class _Compiler:
    def __init__(self, relax: frozenset[str]):
        self.relax = relax
        self.memo: dict[str, Checker] = {}

    def compile(self, shape) -> Checker:
        cached = self.memo.get(shape.name)
        if cached is not None:
            return cached
        # A forward reference makes recursive shapes safe to compile.
        slot: list[Checker] = []
        self.memo[shape.name] = lambda v, p, e: slot[0](v, p, e)
        build = getattr(self, "_" + shape.type_name, self._opaque)
        checker = build(shape)
        slot.append(checker)
        self.memo[shape.name] = checker
        return checker

    # -- aggregates -----------------------------------------------------------------------

    def _structure(self, shape) -> Checker:
        members = {name: self.compile(member) for name, member in shape.members.items()}
        required = () if "required" in self.relax else tuple(shape.required_members)

        def check(value, path, errors):
            if type(value) is not dict:
                raise _wrong_type(path, "structure", value)
            for name in required:
                if value.get(name) is None:
                    errors.append((_child(path, name), "Member must not be null"))
            for name, item in value.items():
                checker = members.get(name)
                if checker is not None and item is not None:
                    checker(item, _child(path, name), errors)

        return check

    def _list(self, shape) -> Checker:
        member = self.compile(shape.member)
        size = _bounds(shape)

        def check(value, path, errors):
            if type(value) is not list:
                raise _wrong_type(path, "list", value)
            _check_size(len(value), size, path, errors, "length")
            for index, item in enumerate(value, 1):
                item_path = f"{path}.{index}.member"
                if item is None:
                    errors.append((item_path, "Member must not be null"))
                else:
                    member(item, item_path, errors)

        return check

    def _map(self, shape) -> Checker:
        key = self.compile(shape.key)
        val = self.compile(shape.value)
        size = _bounds(shape)

        def check(value, path, errors):
            if type(value) is not dict:
                raise _wrong_type(path, "map", value)
            _check_size(len(value), size, path, errors, "length")
            for k, v in value.items():
                key(k, f"{path}.key", errors)
                if v is None:
                    errors.append((f"{path}.value", "Member must not be null"))
                else:
                    val(v, f"{path}.value", errors)

        return check

    # -- scalars --------------------------------------------------------------------------

    def _string(self, shape) -> Checker:
        size = (None, None) if "length" in self.relax else _bounds(shape)
        enum = shape.enum if shape.enum and "enum" not in self.relax else None
        enum_set = frozenset(enum or ())
        raw = shape.metadata.get("pattern")
        compiled = regex.compile(java_pattern(raw)) if raw else None
        # AWS: the whole value must match; the `prefix-patterns` fault reads the pattern as a prefix.
        pattern = None if compiled is None else (
            compiled.match if "whole-value" in self.relax else compiled.fullmatch)
        low, high = size

        def check(value, path, errors):
            if type(value) is not str:
                raise _wrong_type(path, "string", value)
            if low is not None or high is not None:
                _check_size(len(value), size, path, errors, "length")
            if enum is not None and value not in enum_set:
                errors.append((path, f"Member must satisfy enum value set: [{', '.join(enum)}]"))
            if pattern is not None and pattern(value) is None:
                errors.append((path, f"Member must satisfy regular expression pattern: {raw}"))

        return check

    def _integer(self, shape, limits=INT32) -> Checker:
        size = _bounds(shape)

        def check(value, path, errors):
            if type(value) is not int:
                raise _wrong_type(path, "integer", value)
            if not limits[0] <= value <= limits[1]:
                raise serialization(f"Value at '{path}' is out of range for its type.")
            _check_size(value, size, path, errors, "value")

        return check

    def _long(self, shape) -> Checker:
        return self._integer(shape, INT64)

    def _double(self, shape) -> Checker:
        size = _bounds(shape)

        def check(value, path, errors):
            if type(value) not in (int, float):
                raise _wrong_type(path, "number", value)
            _check_size(value, size, path, errors, "value")

        return check

    _float = _double

    def _boolean(self, shape) -> Checker:
        def check(value, path, errors):
            if type(value) is not bool:
                raise _wrong_type(path, "boolean", value)

        return check

    def _timestamp(self, shape) -> Checker:
        def check(value, path, errors):
            if type(value) not in (int, float):
                raise _wrong_type(path, "timestamp (epoch seconds)", value)

        return check

    def _opaque(self, shape) -> Checker:
        return lambda value, path, errors: None


def without_nulls(value: Any) -> Any:
    """The input as the operation sees it: a member sent as JSON null is absent (so it is
    neither stored nor answered back as null)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def _bounds(shape) -> tuple[Any, Any]:
    return shape.metadata.get("min"), shape.metadata.get("max")


def _check_size(n, bounds, path, errors, what: str) -> None:
    low, high = bounds
    if high is not None and n > high:
        errors.append((path, f"Member must have {what} less than or equal to {high}"))
    if low is not None and n < low:
        errors.append((path, f"Member must have {what} greater than or equal to {low}"))


def format_errors(errors: list[tuple[str, str]]) -> str:
    count = len(errors)
    noun = "validation error" if count == 1 else "validation errors"
    details = "; ".join(f"Value at '{path}' failed to satisfy constraint: {text}"
                        for path, text in errors)
    return f"{count} {noun} detected: {details}"


class Validator:
    """Checks one operation's input; raises ``ApiError`` per the module's policy."""

    __slots__ = ("_check", "_code")

    def __init__(self, check: Checker, code: str):
        self._check = check
        self._code = code

    def __call__(self, params: dict) -> None:
        errors: list[tuple[str, str]] = []
        self._check(params, "", errors)
        if errors:
            raise ApiError(self._code, format_errors(errors))


def validation_error_code(operation: str) -> str:
    """The error an operation answers constraint violations with (see module docstring)."""
    if "InvalidInputException" in model.declared_errors(operation):
        return "InvalidInputException"
    return "ValidationException"


def build_validators(operations: Iterable[str], relax: Iterable[str] = ()) -> dict[str, Validator]:
    """One compiled validator per operation; shapes shared between operations compile once."""
    compiler = _Compiler(frozenset(relax) & RELAXABLE)
    validators = {}
    for name in operations:
        shape = model.operation(name).input_shape
        check = compiler.compile(shape) if shape is not None else _empty_structure
        validators[name] = Validator(check, validation_error_code(name))
    return validators


def _empty_structure(value, path, errors):
    if type(value) is not dict:
        raise _wrong_type(path, "structure", value)


def shape_checker(shape) -> Validator:
    """A validator for any shape (tests use it to check responses against output shapes)."""
    return Validator(_Compiler(frozenset()).compile(shape), "InvalidOutput")
