"""ID numbers at rest: Fernet encryption with rotation, a keyed hash for exact look-up.

Keys come from the environment, not from settings.py, so this module owns them:
``FIELD_ENCRYPTION_KEY`` is one or more comma-separated Fernet keys, newest first. New values
are encrypted with the first; every key still decrypts, so rotating is "prepend a new key,
run ``python manage.py rotate_id_numbers``, then drop the old key". The look-up hash is an
HMAC keyed by a value derived from the *last* key (the oldest), so the hash stays the same
through a rotation as long as that key is listed; set ``FIELD_HASH_KEY`` to pin it instead.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from datetime import date
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

# Only ever used with DEBUG on (make run, tests): a real deployment must set its own key.
DEV_ONLY_KEY = "ZnVoYWktZGV2LW9ubHkta2V5LW5vdC1mb3ItcHJvZCE="

# ASCII: Python's \d also takes other scripts' digits (٣, ३), which int() reads but no card has.
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$", re.ASCII)
FIRST_GENERATION_RE = re.compile(r"^\d{15}$", re.ASCII)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _keys() -> list[str]:
    raw = os.environ.get("FIELD_ENCRYPTION_KEY", "")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        if not settings.DEBUG:
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEY is not set: set it to a Fernet key "
                "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
            )
        keys = [DEV_ONLY_KEY]
    return keys


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY holds a value that is not a Fernet key.") from None


def fernet() -> MultiFernet:
    return _fernet(tuple(_keys()))


def _hash_key() -> bytes:
    pinned = os.environ.get("FIELD_HASH_KEY", "")
    base = pinned or _keys()[-1]
    return hashlib.sha256(b"fuhai-id-hash:" + base.encode()).digest()


def _check_character(digits: str) -> str:
    """The ISO 7064 MOD 11-2 check character of an ID number's first 17 digits."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    """An ID number as it is checked, hashed, masked and stored: full-width characters (an
    input method in 全角 mode) read as plain ones, spaces and dashes dropped, x as X, and a
    first-generation number (15 digits, YYMMDD, no check character) written in its 18
    characters as GB 11643-1999 converts it ("19" before the year, then the check character),
    so both forms of one person's number find the same resident. A 15-digit number whose date
    is none is left as typed, for ``id_number_error`` to explain."""
    value = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or "")).upper()
    if not FIRST_GENERATION_RE.match(value):
        return value
    digits = f"{value[:6]}19{value[6:]}"
    try:
        id_number_birth_date(digits)
    except ValueError:
        return value
    return digits + _check_character(digits)


def id_number_birth_date(value: str) -> date:
    """The date of birth written in characters 7–14 of an ID number; ValueError if it is none."""
    birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    if birth.year < 1900:
        raise ValueError(value)
    return birth


def id_number_error(value: str) -> str | None:
    """Why a normalised number is not a mainland resident ID (GB 11643: 17 digits, a real date
    of birth, the ISO 7064 check character), in words for the person typing it; None if it is one.
    A 15-digit number still here is a first-generation one whose date is none."""
    if FIRST_GENERATION_RE.match(value):
        return _(
            "A 15-digit ID number (first-generation card) has the date of birth in characters 7 to 12, "
            "and %(digits)s is no date."
        ) % {"digits": value[6:12]}
    if not ID_NUMBER_RE.match(value):
        return _(
            "An ID number has 18 characters (17 digits, then a digit or X), or 15 digits on a first-generation card."
        )
    try:
        id_number_birth_date(value)
    except ValueError:
        return _("Characters 7 to 14 of an ID number are the date of birth, and %(digits)s is no date.") % {
            "digits": value[6:14]
        }
    if _check_character(value[:17]) != value[17]:
        return _("The last character does not match the others: a digit is mistyped or two are swapped.")
    return None


def id_number_is_valid(value: str) -> bool:
    """A mainland resident ID: 17 digits with a real date of birth and the ISO 7064 check character."""
    return id_number_error(value) is None


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "An ID number cannot be decrypted: the key it was written with is missing from FIELD_ENCRYPTION_KEY."
        ) from None


def rotate(token: str) -> str:
    """Re-encrypt with the newest key (MultiFernet.rotate)."""
    return fernet().rotate(token.encode()).decode() if token else ""


def lookup_hash(value: str) -> str:
    """Keyed hash of a normalised ID number: equal numbers, equal hashes; no key, no guessing."""
    value = normalise_id_number(value)
    if not value:
        return ""
    digest = hmac.new(_hash_key(), value.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().rstrip("=").lower()


def mask_id_number(value: str) -> str:
    """110***********1234: first three and last four characters."""
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
