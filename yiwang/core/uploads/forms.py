"""A form field that checks uploads by content, with the same checks as ``store_upload``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import detect
from .checks import UploadRefused, inspect_upload, limits


class ContentCheckedFileField(forms.FileField):
    """A ``FileField`` that refuses files by what they *are*, not by their name or content type.

    ``kinds`` narrows what is accepted (default: everything ``store_upload`` accepts), e.g.
    ``ContentCheckedFileField(kinds=detect.IMAGE_KINDS)`` for a photo. After cleaning, the file object
    carries the result as ``file.inspection`` (type, sha256, size, width, height). Pass the cleaned file
    to :func:`yiwang.core.uploads.actions.store_upload` to keep it. The HTML ``accept`` attribute is set
    as a hint for the browser's file picker only; the server never trusts it.
    """

    def __init__(self, *, kinds: tuple[str, ...] | None = None, **kwargs):
        self.kinds = tuple(kinds) if kinds else None
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        kinds = self.kinds or detect.ACCEPTED
        attrs["accept"] = ",".join(detect.CONTENT_TYPES[k] for k in kinds)
        return attrs

    def to_python(self, data):
        uploaded = super().to_python(data)
        if uploaded is None:
            return None
        try:
            uploaded.inspection = inspect_upload(uploaded, allowed=self.kinds)
        except UploadRefused as exc:
            raise ValidationError(exc.message, code=exc.code) from exc
        return uploaded

    @property
    def max_bytes(self) -> int:
        return limits()["MAX_BYTES"]
