"""Identity: how people prove who they are (password, OIDC single sign-on, ID-card reader) and how sure we are.

Public API::

    complete_login(request, user, method=LoginMethod.PASSWORD, assurance=Assurance.PASSWORD)
    session_assurance(request) -> str
    require_assurance(request, level)          # raises InsufficientAssurance
    @assurance_required(level)                  # view decorator: redirects to log in again
"""

from .session import (
    InsufficientAssurance,
    assurance_required,
    complete_login,
    require_assurance,
    session_assurance,
)

__all__ = [
    "InsufficientAssurance",
    "assurance_required",
    "complete_login",
    "require_assurance",
    "session_assurance",
]
