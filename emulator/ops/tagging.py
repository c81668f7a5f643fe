"""TagResource, UntagResource and ListTagsForResource over every taggable kind.

A kind is taggable when its Create operation accepts ``tags`` (``KindInfo.taggable``).
"""
from __future__ import annotations

from ..errors import ApiError
from ..service import MAX_TAGS, too_many_tags
from ._registry import Registry

registry = Registry()


@registry.handles("TagResource")
def tag_resource(svc, call, p):
    res = svc.taggable(call, p["resourceArn"])
    tags = svc.tag_map(p["tags"])
    total = len(res.tags.keys() | tags.keys())
    if total > MAX_TAGS:
        raise too_many_tags(total)
    svc.store_tags(call, res, tags)
    return {}


@registry.handles("UntagResource")
def untag_resource(svc, call, p):
    res = svc.taggable(call, p["resourceArn"])
    keys = p["tagKeys"]
    # TooManyTagKeysException: "more tag keys than can be associated with a resource (50 tag
    # keys per resource)".
    if len(keys) > MAX_TAGS:
        raise ApiError("TooManyTagKeysException",
                       f"At most {MAX_TAGS} tag keys can be removed in one request.")
    svc.remove_tags(call, res, keys)
    return {}


@registry.handles("ListTagsForResource")
def list_tags_for_resource(svc, call, p):
    res = svc.taggable(call, p["resourceArn"])
    return {"tags": [{"tagKey": k, "tagValue": v} for k, v in res.tags.items()]}
