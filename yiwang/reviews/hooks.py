"""Hooks other contexts register to react to a bad rating of their subjects.

Operations registers its reopen handler at start-up (in its ``AppConfig.ready``)::

    from yiwang.reviews.hooks import register_bad_rating_hook
    register_bad_rating_hook("operations.case", reopen_after_bad_rating)

An opportunity whose policy is ``"reopen"`` calls the hook registered for its ``subject_type``; a policy
that is neither ``"rectify"`` nor ``"reopen"`` names a hook registered under that name. The hook gets
the :class:`~yiwang.reviews.models.Rating` and runs inside the rating's transaction (in a savepoint):
if it raises, the bad rating is not lost — a rectification is opened instead.
"""

from __future__ import annotations

from collections.abc import Callable

from .models import Policy

_HOOKS: dict[str, Callable] = {}


def register_bad_rating_hook(key: str, fn: Callable) -> None:
    """Register ``fn(rating)`` for a subject type (the "reopen" policy) or as a named policy."""
    if not key or key == Policy.RECTIFY:
        raise ValueError(f"cannot register a bad-rating hook under {key!r}")
    _HOOKS[key] = fn


def unregister_bad_rating_hook(key: str) -> None:
    _HOOKS.pop(key, None)


def hook_for(policy: str, subject_type: str) -> Callable | None:
    """The hook a bad rating under ``policy`` calls, or None (then a rectification is opened)."""
    if policy == Policy.RECTIFY:
        return None
    if policy == Policy.REOPEN:
        return _HOOKS.get(subject_type)
    return _HOOKS.get(policy)


def is_known_policy(policy: str) -> bool:
    """``rectify`` and ``reopen`` always; any other name only once a hook is registered under it."""
    return policy in (Policy.RECTIFY, Policy.REOPEN) or policy in _HOOKS
