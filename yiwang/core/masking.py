"""Masking of personal data for lists, logs, exports and audit summaries.

The audit trail is hash-chained and can never be purged, so it must never hold raw personal data:
:func:`contains_raw_personal_data` lets the audit writer refuse a summary that does.
"""

import re

ID_NUMBER_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE_RE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str) -> str:
    number = (number or "").strip()
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:3]}{'*' * (len(number) - 7)}{number[-4:]}"


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    if all(ord(c) > 0x2E80 for c in name):  # Chinese name: keep the family name
        return name[0] + "*" * (len(name) - 1)
    return name[0] + "***"


def mask_address(address: str, keep: int = 6) -> str:
    address = (address or "").strip()
    if len(address) <= keep:
        return address
    return address[:keep] + "…"


def mask_ip(value: str | None) -> str:
    """A client address with its host part hidden: ``10.1.2.*``, ``2001:db8:…``."""
    if not value:
        return ""
    if ":" in value:
        return value.rsplit(":", 2)[0] + ":…"
    return value.rsplit(".", 1)[0] + ".*"


def mask_username(username: str) -> str:
    """A typed username, masked for failed-login records: first and last character kept (``d***p``)."""
    username = (username or "").strip()[:64]
    if len(username) <= 2:
        return "*" * len(username)
    return f"{username[0]}***{username[-1]}"


def contains_raw_personal_data(value) -> bool:
    """True if any string inside ``value`` looks like an unmasked ID number or mobile number."""
    if isinstance(value, str):
        return bool(ID_NUMBER_RE.search(value) or MOBILE_RE.search(value))
    if isinstance(value, dict):
        return any(contains_raw_personal_data(k) or contains_raw_personal_data(v) for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return any(contains_raw_personal_data(v) for v in value)
    return False
