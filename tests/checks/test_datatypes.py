"""Every data type's written forms, table-driven; dates and times as ISO 8601 writes them (schema.org's Date and DateTime), and
XML Schema's time (schema.org's Time): every form the standard allows fits, and
nothing else does -- a day that does not exist included."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinicgraph.checks.datatypes import fits

DATES = [
    "2019",
    "2017-08",
    "2019-08-15",
    "20190815",
    "2019-227",
    "2019227",
    "2019-W33-4",
    "2019W334",
    "2019-W33",
    "2019W33",
    "+12019-01-01",
    "-0044-03-15",
    "2020-02-29",
    "2020-366",
    "2020-W53",
    "2015-W53-7",
]
NOT_DATES = [
    "201908",
    "2019-13",
    "2019-00",
    "2019-02-29",
    "2019-366",
    "2019-W53",
    "2019-W00",
    "2019-W01-8",
    "12019-01-01",
    "2019-8-1",
    "19-08-15",
    "1",
    "20",
    "123",
    "2019-08-15Z",
    " 2019",
    "2019-08-15T10:00",
    "2019/08/15",
    "15.08.2019",
]
DATETIMES = [
    "2019-08-15T10:30:00",
    "2019-08-15T10:30",
    "2019-08-15T10",
    "2019-08-15T10:30:15.5",
    "2019-08-15T10:30,5",
    "2019-08-15T24:00",
    "2019-08-15T23:59:60Z",
    "2019-08-15T10:30+02:00",
    "2019-08-15T10:30-05",
    "20190815T103000",
    "20190815T1030+0200",
    "2019-227T10:00",
    "2019-W33-4T10:00Z",
    "-0044-03-15T12:00:00",
]
NOT_DATETIMES = [
    "2019T10:00",
    "2019-08T10:00",
    "2019-W33T10:00",
    "2019-08-15T25:00",
    "2019-08-15T24:00:01",
    "2019-08-15T24:00,5",
    "2019-08-15T10:60",
    "2019-02-30T10:00",
    "20190815T10:30",
    "2019-08-15T1030",
    "2019-08-15T10:30+0200",  # basic and extended mixed
    "2019-08-15",
    "2019-08-15 10:00",
    "2019-08-15t10:00",
]
TIMES = ["09:00", "09:00:00", "24:00:00", "23:59:59.5Z", "10:00+01:00"]
NOT_TIMES = ["9am", "24:00:01", "24:30", "25:00", "10:60", "10", "23:59:60", "0900"]
URLS = [
    "https://clinic.example/",
    "http://clinic.example/a?b=c#d",
    " https://clinic.example ",
    "HTTPS://CLINIC.EXAMPLE/",
]
NOT_URLS = [
    "ftp://clinic.example/",
    "mailto:a@clinic.example",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "clinic.example",
    "/conditions/",
    "https://",
    "http://[::1",
    "",
]
NUMBERS = ["4", "4.7", "-4.7", "+4", ".5", "5.", "1e3", "1.5E-3"]
NOT_NUMBERS = ["4,7", "four", "NaN", "Infinity", "4.7.1", "1e", "", "0x10"]
INTEGERS = ["4", "-4", "+4", "0", "628"]
NOT_INTEGERS = ["4.0", "4.7", "1e3", "four", ""]
BOOLEANS = ["true", "false", "True", "False"]
NOT_BOOLEANS = ["yes", "1", "TRUE", ""]


@pytest.mark.parametrize(
    "data_type, text, expected",
    [
        *(("Date", t, True) for t in DATES),
        *(("Date", t, False) for t in NOT_DATES),
        *(("DateTime", t, True) for t in DATETIMES),
        *(("DateTime", t, False) for t in NOT_DATETIMES),
        *(("Time", t, True) for t in TIMES),
        *(("Time", t, False) for t in NOT_TIMES),
        *(("URL", t, True) for t in URLS),
        *(("URL", t, False) for t in NOT_URLS),
        *(("Number", t, True) for t in NUMBERS),
        *(("Number", t, False) for t in NOT_NUMBERS),
        *(("Integer", t, True) for t in INTEGERS),
        *(("Integer", t, False) for t in NOT_INTEGERS),
        *(("Boolean", t, True) for t in BOOLEANS),
        *(("Boolean", t, False) for t in NOT_BOOLEANS),
    ],
)
def test_each_form(data_type, text, expected):
    assert fits(text, data_type) is expected


def _exists(make) -> bool:
    try:
        make()
    except ValueError:
        return False
    return True


@given(st.integers(1000, 9999), st.integers(0, 13), st.integers(0, 32))
def test_a_calendar_date_fits_when_the_day_exists(year, month, day):
    exists = _exists(lambda: datetime.date(year, month, day))
    assert fits(f"{year:04}-{month:02}-{day:02}", "Date") is exists
    assert fits(f"{year:04}{month:02}{day:02}", "Date") is exists
    assert fits(f"{year:04}-{month:02}-{day:02}T12:00", "DateTime") is exists
    assert fits(f"{year:04}-{month:02}", "Date") is (1 <= month <= 12)  # reduced accuracy: a month


@given(st.integers(1000, 9999), st.integers(0, 54), st.integers(0, 8))
def test_a_week_date_fits_when_the_week_exists(year, week, weekday):
    exists = _exists(lambda: datetime.date.fromisocalendar(year, week, weekday))
    assert fits(f"{year:04}-W{week:02}-{weekday}", "Date") is exists
    assert fits(f"{year:04}W{week:02}{weekday}", "Date") is exists
    assert fits(f"{year:04}-W{week:02}", "Date") is _exists(
        lambda: datetime.date.fromisocalendar(year, week, 1)
    )


@given(st.integers(1000, 9998), st.integers(0, 367))  # 9999-12-31 is datetime.date's last day
def test_an_ordinal_date_fits_when_the_year_has_that_day(year, day):
    exists = day >= 1 and (datetime.date(year, 1, 1) + datetime.timedelta(days=day - 1)).year == year
    assert fits(f"{year:04}-{day:03}", "Date") is exists
    assert fits(f"{year:04}{day:03}", "Date") is exists


@given(
    st.datetimes(),
    st.sampled_from(["hours", "minutes", "seconds", "milliseconds", "microseconds"]),
    st.sampled_from([None, datetime.UTC, datetime.timezone(datetime.timedelta(hours=-5, minutes=-30))]),
)
def test_what_python_writes_as_iso_8601_fits(moment, timespec, zone):
    written = moment.replace(tzinfo=zone).isoformat(timespec=timespec)
    assert fits(written, "DateTime"), written
    assert fits(moment.date().isoformat(), "Date")
    assert fits(moment.date().isoformat()[:7], "Date") and fits(moment.date().isoformat()[:4], "Date")
