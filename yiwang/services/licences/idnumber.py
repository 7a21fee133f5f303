"""Resident ID numbers (公民身份号码) after GB 11643-1999.

18 characters: a 6-digit administrative region code, the date of birth (YYYYMMDD), a 3-digit sequence
and a check character computed with ISO 7064 MOD 11-2 (``0``–``9`` or ``X``).
"""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# first two digits: provinces, autonomous regions, municipalities; 71 Taiwan, 81 Hong Kong, 82 Macao,
# 83 Taiwan residents' residence permits
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54}
    | {61, 62, 63, 64, 65, 71, 81, 82, 83}
)
EARLIEST_BIRTH = date(1900, 1, 1)


class InvalidIdNumber(ValueError):
    """The number is not a well-formed ID number; ``code`` says why (length, characters, region, birth_date,
    check_digit)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def check_character(first17: str) -> str:
    """The MOD 11-2 check character of the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def validate_id_number(s: str, *, today: date | None = None) -> str:
    """Return the normalised number (upper-case ``X``) or raise :class:`InvalidIdNumber`."""
    number = (s or "").strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber("length", f"an ID number has 18 characters, not {len(number)}")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber("characters", "an ID number is 17 digits and a digit or X")
    if int(number[:2]) not in PROVINCE_CODES or number[2:6] == "0000":
        raise InvalidIdNumber("region", "the region code is not a known region")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date", "the date of birth is not a date") from None
    if not EARLIEST_BIRTH <= birth <= (today or date.today()):
        raise InvalidIdNumber("birth_date", "the date of birth is out of range")
    if check_character(number[:17]) != number[17]:
        raise InvalidIdNumber("check_digit", "the check character does not match")
    return number


def is_valid_id_number(s: str) -> bool:
    try:
        validate_id_number(s)
    except InvalidIdNumber:
        return False
    return True
