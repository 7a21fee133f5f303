"""Whatever text a case holds, both formats carry it as data: parsed back, it is the same text."""

import json
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from yiwang.operations.open311.render import _XML_ILLEGAL, to_json, to_xml

texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


@given(texts, texts)
def test_xml_round_trips_every_text_it_can_carry(description, notes):
    data = [{"description": description, "extended_attributes": {"notes": [{"description": notes}]}}]
    root = ET.fromstring(to_xml("service_requests", data).encode("utf-8"))
    request = root.find("request")
    # XML 1.0 cannot carry control characters other than tab/newline/CR: those are dropped, nothing else
    assert (request.findtext("description") or "") == _XML_ILLEGAL.sub("", description)
    assert (request.findtext("extended_attributes/notes/note/description") or "") == _XML_ILLEGAL.sub("", notes)


def test_line_ends_survive_xml_exactly():
    root = ET.fromstring(to_xml("request", {"description": "a\r\nb\rc\n"}).encode("utf-8"))
    assert root.findtext("description") == "a\r\nb\rc\n"


@given(texts)
def test_json_carries_every_text_unchanged(description):
    assert json.loads(to_json([{"description": description}])) == [{"description": description}]
