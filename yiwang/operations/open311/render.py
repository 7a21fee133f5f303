"""Writing Open311 documents as XML or JSON from the same plain data, and the spec's error lists.

Data is dicts (ordered elements), lists (repeated elements, named by :data:`ITEM_TAGS`), strings,
numbers, booleans and None. XML is written by hand (text only, no attributes): fast, UTF-8 with the
declaration the spec asks for, every text escaped and stripped of characters XML 1.0 cannot carry.
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape

from django.http import HttpResponse

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# a list under this key repeats this element
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return escape(_XML_ILLEGAL.sub("", str(value)), {"\r": "&#13;"})  # a raw CR would be read back as LF


def _xml(tag: str, value, out: list[str]) -> None:
    if value is None or value == "":
        out.append(f"<{tag}/>")
    elif isinstance(value, dict):
        out.append(f"<{tag}>")
        for key, child in value.items():
            _xml(key, child, out)
        out.append(f"</{tag}>")
    elif isinstance(value, list | tuple):
        item = ITEM_TAGS.get(tag, "item")
        out.append(f"<{tag}>")
        for child in value:
            _xml(item, child, out)
        out.append(f"</{tag}>")
    else:
        out.append(f"<{tag}>{_text(value)}</{tag}>")


def to_xml(root: str, data) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    _xml(root, data, out)
    return "".join(out)


def to_json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def render(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    """The document ``data`` in ``fmt`` (xml or json); ``root`` names the XML root element."""
    body = to_xml(root, data) if fmt == "xml" else to_json(data)
    # "replace": a lone surrogate (never valid UTF-8) becomes "?" instead of failing the response
    return HttpResponse(body.encode("utf-8", "replace"), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, messages) -> HttpResponse:
    """The spec's error list: ``<errors><error><code>…</code><description>…</description></error></errors>``."""
    items = [{"code": status, "description": str(m)} for m in messages]
    return render(fmt, "errors", items, status=status)
