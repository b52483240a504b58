"""Schemathesis hooks for retrace's API (loaded through SCHEMATHESIS_HOOKS).

One rule of `POST /v1/compare` cannot be written in JSON Schema: the sources'
ids are distinct (a repeated id is answered 422). Generated bodies that repeat
an id get the repeats renamed, so that a schema-valid case is a valid request.
Nothing else is changed.
"""

import schemathesis


@schemathesis.hook
def map_body(ctx, body):
    operation = getattr(ctx, "operation", None)
    if getattr(operation, "path", None) != "/v1/compare" or not isinstance(body, dict):
        return body
    sources = body.get("sources")
    if not isinstance(sources, list):
        return body
    seen = set()
    for i, source in enumerate(sources):
        if not isinstance(source, dict) or not isinstance(source.get("id"), str):
            continue
        id_ = source["id"]
        n = i
        while id_ in seen:
            id_ = f"{source['id']}~{n}"
            n += 1
        source["id"] = id_
        seen.add(id_)
    return body
