"""Does a literal's text fit a schema.org data type? (Text, URL, Number, Integer, Float,
Date, DateTime, Time, Boolean.)

schema.org accepts text for every data type in JSON-LD (``"ratingValue": "4.7"``), so
the test is on the lexical form, whatever the literal's datatype.

Date and DateTime are ISO 8601's (schema.org: Date is "a date value in ISO 8601 date
format"; DateTime "[-]CCYY-MM-DDThh:mm:ss[Z|(+|-)hh:mm] (see Chapter 5.4 of ISO 8601)",
the combinations of a date and a time of day). What ISO 8601:2004 allows, all taken here:

- a Date (4.1.2-4.1.4) is a calendar date, complete (2019-08-15, basic 20190815) or of
  reduced accuracy (4.1.2.3: a month 2019-08, never 201908; a year 2019; not a century,
  "20": two digits in a date are far more often a slip than a century);
  an ordinal date (2019-227, 2019227); or a week date (2019-W33-4, 2019W334, a week
  2019-W33, 2019W33). A year may be expanded (4.1.2.4: a sign, then four digits or more,
  +12019, -0044), in the extended form (with hyphens);
- a DateTime (4.3.2, 4.3.3) is a complete date, "T", then a time of day that may be of
  reduced accuracy (hh:mm, hh; 4.2.2.3) with a decimal fraction of its last part (10:30:15.5,
  10:30,5; 4.2.2.4), 24:00 for the end of a day (4.2.3), 60 seconds for a leap second
  (4.2.1), then Z or an offset ±hh:mm, ±hhmm, ±hh (4.2.4, 4.2.5.1) -- all of it in the basic
  or all in the extended format (4.3.2: "shall be either completely in basic format ... or
  completely in extended format"): 2019-08-15T10:30Z, 20190815T1030+0200.

A Time is XML Schema's (schema.org: "hh:mm:ss[Z|(+|-)hh:mm] (see XML schema)"), with the
seconds optional as Google writes opening hours ("09:00").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")
_INTEGER = re.compile(r"[-+]?\d+")

# The dates of ISO 8601, extended (hyphens) and basic; groups by name, checked by _real_date.
_EXTENDED_DATE = re.compile(
    r"(?P<year>[+-]\d{4,}|\d{4})(-(?P<month>\d\d)(-(?P<day>\d\d))?"
    r"|-(?P<ordinal>\d{3})|-W(?P<week>\d\d)(-(?P<weekday>\d))?)?"
)
_BASIC_DATE = re.compile(
    r"(?P<year>[+-]?\d{4})((?P<month>\d\d)(?P<day>\d\d)"
    r"|(?P<ordinal>\d{3})|W(?P<week>\d\d)(?P<weekday>\d)?)"
)
_EXTENDED_TIME = re.compile(
    r"(?P<hour>\d\d)(:(?P<minute>\d\d)(:(?P<second>\d\d))?)?([.,](?P<fraction>\d+))?"
    r"(Z|[+-]\d\d(:\d\d)?)?"
)
_BASIC_TIME = re.compile(
    r"(?P<hour>\d\d)((?P<minute>\d\d)(?P<second>\d\d)?)?([.,](?P<fraction>\d+))?"
    r"(Z|[+-]\d\d(\d\d)?)?"
)
_XSD_TIME = re.compile(
    r"(?P<hour>\d\d):(?P<minute>\d\d)(:(?P<second>\d\d)(\.(?P<fraction>\d+))?)?(Z|[+-]\d\d:\d\d)?"
)
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)  # proleptic Gregorian, as ISO 8601


def _weeks(year: int) -> int:
    """52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday
    in a leap year (p is the weekday of 31 December, 0 Sunday ... 4 Thursday)."""

    def p(y: int) -> int:
        return (y + y // 4 - y // 100 + y // 400) % 7

    return 53 if p(year) == 4 or p(year - 1) == 3 else 52


def _real_date(match: re.Match | None, complete: bool) -> bool:
    """Whether a matched date exists (no 2019-02-30, 2019-366, 2019-W53); with
    ``complete``, whether it names a day (as a DateTime's date must)."""
    if match is None:
        return False
    parts = {name: int(value) for name, value in match.groupdict().items() if value is not None}
    year = parts.get("year", 0)
    if "day" in parts:
        month = parts["month"]
        return 1 <= month <= 12 and 1 <= parts["day"] <= (
            29 if month == 2 and _leap(year) else _MONTH_DAYS[month - 1]
        )
    if "ordinal" in parts:
        return 1 <= parts["ordinal"] <= (366 if _leap(year) else 365)
    if "week" in parts:
        return (
            1 <= parts["week"] <= _weeks(year)
            and 1 <= parts.get("weekday", 1) <= 7
            and (not complete or "weekday" in parts)
        )
    return not complete and 1 <= parts.get("month", 1) <= 12  # a month or a year


def _real_time(match: re.Match | None, leap_second: bool = False) -> bool:
    if match is None:
        return False
    hour, minute, second, fraction = (
        int(match[name] or 0) for name in ("hour", "minute", "second", "fraction")
    )
    if hour == 24:
        return minute == second == fraction == 0  # the end of a day, and no later
    return hour < 24 and minute < 60 and second < (61 if leap_second else 60)


def _date(text: str) -> bool:
    return _real_date(_EXTENDED_DATE.fullmatch(text) or _BASIC_DATE.fullmatch(text), complete=False)


def _datetime(text: str) -> bool:
    date, sep, time = text.partition("T")
    if not sep:
        return False
    extended = _EXTENDED_DATE.fullmatch(date)
    if extended and ("-" in date[1:] or ":" in time):  # the extended format, hyphens and colons
        return _real_date(extended, complete=True) and _real_time(
            _EXTENDED_TIME.fullmatch(time), leap_second=True
        )
    return _real_date(_BASIC_DATE.fullmatch(date), complete=True) and _real_time(
        _BASIC_TIME.fullmatch(time), leap_second=True
    )


def _time(text: str) -> bool:
    return _real_time(_XSD_TIME.fullmatch(text))


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
READABLE = {
    "Text": "text",
    "URL": "a URL",
    "Number": "a number",
    "Float": "a number",
    "Integer": "a whole number",
    "Date": "a date (YYYY-MM-DD)",
    "DateTime": "a date and time (YYYY-MM-DDThh:mm:ss)",
    "Time": "a time (hh:mm[:ss])",
    "Boolean": "true or false",
}


def fits(text: str, data_type: str) -> bool | None:
    """True or False for the data types above; None for one this module cannot judge."""
    check = CHECKS.get(data_type)
    return None if check is None else check(text)
