"""``[checks]`` and ``[health]`` of clinicgraph.toml: what the rules that depend on the date
judge against, so a run can be reproduced.

    [checks]
    today = 2026-12-01          # the day date rules judge against (default: the day of the run)
    [health]
    review-max-age = "2y"       # a medical review older than this is stale: "2y", "18m", "90d" or 90

Rules read these as pre-bound SPARQL variables (``checks.shacl.bindings``): ``$today`` an
xsd:date, ``$reviewMaxAge`` an xsd:yearMonthDuration or xsd:dayTimeDuration, which Oxigraph
subtracts from a date. ``--today`` on the command line wins over ``[checks] today``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from clinicgraph.core.errors import SourceError


@dataclass(frozen=True)
class Checking:
    today: date | None = None  # None: the day of the run
    review_max_age: str = "P2Y"  # an ISO 8601 duration of years, months or days

    def day(self, given: date | None = None) -> date:
        """The day date rules judge against: ``given`` (``--today``), else ``[checks] today``,
        else the day of the run."""
        return given or self.today or date.today()


DEFAULT = Checking()
TABLES = {"checks": ("today",), "health": ("review-max-age",)}
_AGE = re.compile(r"\s*([0-9]+)\s*([ymd])\s*", re.IGNORECASE)


def parse_day(value) -> date:
    """A day written YYYY-MM-DD (or a TOML date); a ValueError saying why not."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise ValueError(f"{value!r} is no day of the calendar ({error})") from None
    raise ValueError(f"{value!r} is not a date written YYYY-MM-DD, e.g. 2026-12-01")


def parse_age(value) -> str:
    """An age written "2y", "18m", "90d" or a whole number of days, as an ISO 8601 duration."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return f"P{value}D"
    found = _AGE.fullmatch(value) if isinstance(value, str) else None
    if found is None or int(found.group(1)) == 0:
        raise ValueError(f'a number of years, months or days ("2y", "18m", "90d" or 90), not {value!r}')
    return f"P{int(found.group(1))}{found.group(2).upper()}"


def from_tables(config: dict, where: str | Path, line_of) -> Checking:
    """``[checks]`` and ``[health]`` of a parsed clinicgraph.toml; ``line_of(key, table)``
    gives a key's line (``"[table]"``: the header's)."""
    values: dict[str, object] = {}
    for table, keys in TABLES.items():
        if table not in config:
            continue
        if not isinstance(config[table], dict):
            raise SourceError(f"[{table}] must be a table", where, line_of(f"[{table}]", table))
        for key, value in config[table].items():
            if key not in keys:
                raise SourceError(
                    f"[{table}] has no setting {key!r}: use {', '.join(keys)}", where, line_of(key, table)
                )
            values[key] = value
    try:
        today = parse_day(values["today"]) if "today" in values else None
    except ValueError as error:
        raise SourceError(f"[checks] today: {error}", where, line_of("today", "checks")) from None
    try:
        age = parse_age(values["review-max-age"]) if "review-max-age" in values else DEFAULT.review_max_age
    except ValueError as error:
        raise SourceError(
            f"[health] review-max-age must be {error}", where, line_of("review-max-age", "health")
        ) from None
    return Checking(today, age)
