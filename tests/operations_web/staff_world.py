"""Helpers for the staff-page tests: the operations test world, logged-in clients, cases in a given state, photos."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import login_as
from tests.operations.conftest import IN_G1A, IN_G2A, actor, advance, build_world, report  # noqa: F401


def client_for(user, language: str = "en") -> Client:
    """A test client logged in as ``user``, asking for pages in ``language`` (messages are checked in English)."""
    return login_as(Client(HTTP_ACCEPT_LANGUAGE=language), user)


def case_in(world, state: str, **kwargs):
    """A fresh case of ``world`` walked along the main loop to ``state`` by the right people."""
    from types import SimpleNamespace

    case = report(world, **kwargs)
    if case.subdistrict_code == "S2":  # its own subdistrict's dispatcher walks it
        world = SimpleNamespace(**{**vars(world), "dispatcher": world.dispatcher_s2})
    return advance(world, case, state)


def png(colour=(200, 30, 30), name: str = "photo.png", size=(64, 48)) -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def not_an_image(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"#!/bin/sh\necho this is a script pretending to be a photo\n", "image/png")


def offered_actions(response) -> list[str]:
    """The data-action attributes of the case page's action forms, in page order."""
    import re

    return re.findall(r'<details class="action action-[a-z_]+" data-action="([a-z_]+)"', response.content.decode())
