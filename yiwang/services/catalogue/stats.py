"""Sections of ``yiwang services stats``: the catalogue's own, and any other app's.

Another app registers a section once, e.g. in its ``AppConfig.ready``::

    from yiwang.services.catalogue.stats import register_stats_section
    register_stats_section("applications", application_stats)   # fn() -> JSON-serialisable dict
"""

from __future__ import annotations

from collections.abc import Callable

_SECTIONS: dict[str, Callable[[], dict]] = {}


def register_stats_section(name: str, fn: Callable[[], dict]) -> None:
    """Add (or replace) the section ``name``; registering the same name again replaces it."""
    _SECTIONS[name] = fn


def stats_sections() -> list[str]:
    return ["catalogue", *sorted(n for n in _SECTIONS if n != "catalogue")]


def collect_stats(names: list[str] | None = None) -> dict:
    """``{section: dict}`` for ``names`` (every section when None); an unknown name raises KeyError."""
    from .queries import catalogue_stats

    sections = {"catalogue": catalogue_stats, **{k: v for k, v in _SECTIONS.items() if k != "catalogue"}}
    wanted = names or stats_sections()
    return {name: sections[name]() for name in wanted}
