"""Does a literal's text fit a schema.org data type? (Text, URL, Number, Integer, Float,
Date, DateTime, Time, Boolean.)

schema.org accepts text for every data type in JSON-LD (``"ratingValue": "4.7"``), so
the test is on the lexical form, whatever the literal's datatype.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_INTEGER = re.compile(r"[-+]?\d+")
_DATE = re.compile(r"-?\d{4,}-\d{2}-\d{2}")
_TIME = re.compile(r"(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?")
_ZONE = r"(Z|[+-]\d{2}:\d{2})?"


def _date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)  # 2024-02-30 is not a date
    except ValueError:
        return False
    return True


def _time(text: str) -> bool:
    match = _TIME.fullmatch(text)
    if not match:
        return False
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[4] or 0)
    return (hours < 24 and minutes < 60 and seconds < 60) or (hours, minutes, seconds) == (24, 0, 0)


def _datetime(text: str) -> bool:
    date, sep, time = text.partition("T")
    return bool(sep) and _date(date) and _time(time)


def _url(text: str) -> bool:
    try:
        parts = urlsplit(text.strip())
    except ValueError:  # "http://[::1": no URL (urlsplit raised, and validate with it)
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _boolean(text: str) -> bool:
    return text in ("true", "false", "True", "False")


CHECKS = {
    "Text": lambda text: True,
    "URL": _url,
    "Number": lambda text: bool(_NUMBER.fullmatch(text.strip())),
    "Float": lambda text: bool(_NUMBER.fullmatch(text.strip())),
    "Integer": lambda text: bool(_INTEGER.fullmatch(text.strip())),
    "Date": _date,
    "DateTime": _datetime,
    "Time": _time,
    "Boolean": _boolean,
}

# What each data type is called in a message.
READABLE = {"Text": "text", "URL": "a URL", "Number": "a number", "Float": "a number",
            "Integer": "a whole number", "Date": "a date (YYYY-MM-DD)",
            "DateTime": "a date and time (YYYY-MM-DDThh:mm:ss)", "Time": "a time (hh:mm[:ss])",
            "Boolean": "true or false"}


def fits(text: str, data_type: str) -> bool | None:
    """True or False for the data types above; None for one this module cannot judge."""
    check = CHECKS.get(data_type)
    return None if check is None else check(text)
