"""Build an OpenAPI 3.0 document of a JSON-protocol AWS service from the installed botocore model.

The document follows the conventions of the APIs.guru conversion (operationIds, fragment paths
carrying the X-Amz-Target header, components/schemas named after the model's shapes, `48x`
responses per declared error) so that one patch layer and one index serve both. Documentation
strings are copied from the installed model at run time; none is stored in this repository.
"""
from __future__ import annotations

import botocore.session

SERVICE = "personalize"
KEY_EXTENSION = "x-aws-key"  # a map's key shape: its constraints, which OpenAPI 3.0 cannot state

_SIGV4_HEADERS = (
    "X-Amz-Content-Sha256", "X-Amz-Date", "X-Amz-Algorithm", "X-Amz-Credential",
    "X-Amz-Security-Token", "X-Amz-Signature", "X-Amz-SignedHeaders",
)


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _shape_schema(shape: dict) -> dict:
    """One model shape as a JSON schema, constraints carried over by name."""
    kind = shape["type"]
    out: dict = {}
    if kind == "string":
        out["type"] = "string"
        if "enum" in shape:
            out["enum"] = list(shape["enum"])
        if "pattern" in shape:
            out["pattern"] = shape["pattern"]
        if "min" in shape:
            out["minLength"] = shape["min"]
        if "max" in shape:
            out["maxLength"] = shape["max"]
        if shape.get("sensitive") and "pattern" not in shape and "enum" not in shape:
            out["format"] = "password"  # how the APIs.guru conversion marks sensitive strings
    elif kind in ("integer", "long"):
        out["type"] = "integer"
        _range(shape, out)
    elif kind in ("double", "float"):
        out.update(type="number", format=kind)
        _range(shape, out)
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind == "timestamp":
        out.update(type="string", format="date-time")
    elif kind == "blob":
        out.update(type="string", format="byte")
    elif kind == "list":
        out.update(type="array", items=_ref(shape["member"]["shape"]))
        if "min" in shape:
            out["minItems"] = shape["min"]
        if "max" in shape:
            out["maxItems"] = shape["max"]
    elif kind == "map":
        out["type"] = "object"
        if "min" in shape:
            out["minProperties"] = shape["min"]
        if "max" in shape:
            out["maxProperties"] = shape["max"]
        out["additionalProperties"] = _ref(shape["value"]["shape"])
        out[KEY_EXTENSION] = _ref(shape["key"]["shape"])  # OpenAPI 3.0 has no key schema
    elif kind == "structure":
        if shape.get("exception"):
            return {}
        out["type"] = "object"
        if shape.get("required"):
            out["required"] = list(shape["required"])
        props = {}
        for member, spec in shape.get("members", {}).items():
            prop = {"allOf": [_ref(spec["shape"])]}
            if spec.get("documentation"):
                prop["allOf"].append({"description": spec["documentation"]})
            props[member] = prop
        out["properties"] = props
    else:  # pragma: no cover - a new model type is a builder bug worth seeing
        raise ValueError(f"unhandled shape type {kind}")
    if shape.get("documentation") and kind == "structure":
        out["description"] = shape["documentation"]
    return out


def _range(shape: dict, out: dict) -> None:
    if "min" in shape:
        out["minimum"] = shape["min"]
    if "max" in shape:
        out["maximum"] = shape["max"]


def _operation(name: str, op: dict, paginated: bool) -> dict:
    target = f"AmazonPersonalize.{name}"
    responses: dict = {"200": {"description": "Success"}}
    if "output" in op:
        responses["200"]["content"] = {"application/json": {"schema": _ref(op["output"]["shape"])}}
    for code, err in enumerate(op.get("errors", []), start=480):
        responses[str(code)] = {
            "description": err["shape"],
            "content": {"application/json": {"schema": _ref(err["shape"])}},
        }
    params = []
    if paginated:
        params += [
            {"name": "maxResults", "in": "query", "schema": {"type": "string"},
             "description": "Pagination limit", "required": False},
            {"name": "nextToken", "in": "query", "schema": {"type": "string"},
             "description": "Pagination token", "required": False},
        ]
    params.append({"name": "X-Amz-Target", "in": "header", "required": True,
                   "schema": {"type": "string", "enum": [target]}})
    post = {"operationId": name, "description": op.get("documentation", ""), "responses": responses}
    if "input" in op:
        post["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": _ref(op["input"]["shape"])}}}
    post["parameters"] = params
    return {"post": post, "parameters": [
        {"$ref": f"#/components/parameters/{h}"} for h in _SIGV4_HEADERS]}


def installed_model(service: str = SERVICE) -> tuple[dict, dict]:
    """(service model, paginators) of `service` in the installed botocore."""
    loader = botocore.session.get_session().get_component("data_loader")
    model = loader.load_service_model(service, "service-2")
    try:
        paginators = loader.load_service_model(service, "paginators-1")["pagination"]
    except Exception:  # a model without paginators is still a model
        paginators = {}
    return model, paginators


def build_document(service: str = SERVICE, *, model: dict | None = None, paginators: dict | None = None,
                   version: str | None = None) -> dict:
    """The OpenAPI document of `service` as a botocore model describes it: the installed one, or
    `model` and `paginators` read from another botocore release (`version`)."""
    if model is None:
        model, paginators = installed_model(service)
        version = botocore.__version__
    paginators = paginators or {}
    meta = model["metadata"]
    schemas = {}
    for name, shape in model["shapes"].items():
        schema = _shape_schema(shape)
        if shape["type"] == "structure" and not shape.get("exception"):
            if any(name == op.get("input", {}).get("shape") for op in model["operations"].values()):
                schema["title"] = name
        schemas[name] = schema
    paths = {
        f"/#X-Amz-Target={meta['targetPrefix']}.{name}": _operation(name, op, name in paginators)
        for name, op in sorted(model["operations"].items())
    }
    return {
        "openapi": "3.0.0",
        "info": {
            "title": meta.get("serviceFullName", service),
            "version": meta["apiVersion"],
            "x-origin": [{"format": "botocore", "url": f"botocore/data/{service}/{meta['apiVersion']}",
                          "x-botocore-version": version or "unknown"}],
        },
        "servers": [{"url": "https://personalize.{region}.amazonaws.com",
                     "variables": {"region": {"default": "us-east-1"}}}],
        "paths": paths,
        "components": {
            "parameters": {h: {"name": h, "in": "header", "schema": {"type": "string"}, "required": False}
                           for h in _SIGV4_HEADERS},
            "securitySchemes": {"hmac": {"type": "apiKey", "name": "Authorization", "in": "header",
                                         "x-amazon-apigateway-authtype": "awsSigv4"}},
            "schemas": schemas,
        },
        "security": [{"hmac": []}],
    }
