import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.uploads import samples
from tests.uploads.conftest import upload
from yiwang.core.uploads import video
from yiwang.core.uploads.checks import UploadRefused, inspect_upload
from yiwang.core.uploads.detect import sniff

PREFIXES = [b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP", b"%PDF-", samples.mp4()[:40]]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=st.sampled_from(PREFIXES), tail=st.binary(max_size=600))
def test_any_bytes_are_accepted_or_refused_with_a_message_never_a_crash(prefix, tail):
    data = prefix + tail
    assert sniff(data[:4096]).kind  # always names something
    try:
        found = inspect_upload(upload(data))
    except UploadRefused as exc:
        assert str(exc.message)
    else:
        assert found.kind in ("jpeg", "png", "webp", "mp4", "quicktime", "pdf")


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400), cut=st.integers(min_value=0, max_value=400))
def test_box_parser_only_ever_raises_box_error(data, cut):
    movie = samples.mp4()
    mangled = movie[:cut] + data + movie[cut:]
    try:
        video.inspect(mangled)
        stripped = video.strip_metadata(mangled)
    except video.BoxError:
        return
    assert len(stripped) == len(mangled)


@pytest.mark.parametrize("brand", [b"isom", b"qt  "])
def test_stripping_twice_changes_nothing_more(brand):
    once = video.strip_metadata(samples.mp4(brand=brand))
    assert video.strip_metadata(once) == once
