"""Type stubs of the `spl` module (spl-python): run Splunk SPL searches offline.

See docs/python.md.
"""

import datetime
import os
import pathlib
from typing import Any, List, Mapping, Optional, Sequence, Tuple, Union

import pyarrow

__version__: str

_Path = Union[str, os.PathLike]
_Paths = Union[_Path, Sequence[_Path]]
_Time = Union[float, int, str, datetime.datetime]

class SplError(Exception):
    """An error of the SPL engine."""

    code: str
    """The diagnostic code, e.g. `spl::parse::unknown_command` (docs/errors.md)."""
    message: str
    """What is wrong (also `str(error)`)."""
    span: Optional[Tuple[int, int]]
    """`(start, end)` byte offsets (UTF-8) into the query as written, or None.
    An error inside a macro's expansion points at the macro's call."""
    help: Optional[str]
    """What to do about it, when the engine knows."""

class ParseError(SplError):
    """The query did not parse, or a macro in it did not expand."""

class RunError(SplError):
    """The search could not be planned or run (unsupported command or option,
    bad argument, missing lookup, limit, time modifier)."""

class DataError(SplError):
    """Input data could not be read; the message names the file, line and field."""

class Engine:
    """A configured SPL engine: data, macros, lookups, apps and the clock.

    `now` is the search's clock (epoch seconds, RFC 3339 text, or a datetime;
    default: the current time): relative times and `now()` resolve against
    it. `earliest`/`latest` are the time picker (`-24h`, `@d`, epoch). `tz`
    is the user's time zone (IANA name; default UTC).
    """

    def __init__(
        self,
        now: Optional[_Time] = None,
        earliest: Optional[Union[str, float]] = None,
        latest: Optional[Union[str, float]] = None,
        tz: Optional[str] = None,
        macros: Optional[_Paths] = None,
        lookups: Optional[_Paths] = None,
        apps: Optional[_Paths] = None,
        default_apps: bool = True,
        geoip: Optional[_Path] = None,
        threads: Optional[int] = None,
        limits: Optional[Mapping[str, int]] = None,
    ) -> None: ...
    def add_data(self, path_or_spec: _Path, **options: Union[str, bool, int]) -> "Engine":
        """Adds data files as `spl run --data` does: a path, or a spec
        `"path=f.jsonl,index=x,sourcetype=y"`; keyword options (`index`,
        `source`, `sourcetype`, `host`, `format`, `kind`, `time_field`,
        `strict`, `rollup`, `datamodel`) set the same keys. Returns the engine."""
    def add_table(
        self,
        table: Any,
        index: str = "main",
        source: str = "python",
        sourcetype: str = "arrow",
        host: Optional[str] = None,
        time_field: Optional[str] = None,
    ) -> "Engine":
        """Adds events from memory: a pyarrow Table, RecordBatch or
        RecordBatchReader, any object with `__arrow_c_stream__` or
        `__arrow_c_array__`, or a list of them. Struct columns become dotted
        fields (`src_endpoint.ip`), lists multivalue fields, as the file
        readers flatten them. Returns the engine."""
    def load_macros(self, path: _Path) -> "Engine":
        """Loads macro definitions (macros.conf, JSON lines, security_content
        YAML, or a directory). Returns the engine."""
    def run(self, query: str) -> pyarrow.Table:
        """Runs a search; its rows as a pyarrow.Table over the union of the
        result's fields (absent = null). `_time` is float64 epoch seconds,
        multivalue fields are lists of strings."""
    @property
    def last_warnings(self) -> List[Tuple[str, str]]:
        """The last search's warnings as `(code, message)` pairs."""
    @property
    def now(self) -> float:
        """The engine's clock, epoch seconds."""

class TestFailure:
    """One failed case, or a file that could not be run."""

    location: str
    """`file:line` of the case."""
    message: str
    """The diff of expected and actual rows, or the error."""

class TestReport:
    """What `spl.test` found."""

    passed: int
    failed: int
    skipped: int
    failures: List[TestFailure]
    files: List[pathlib.Path]
    summary: str
    """`N passed, M failed` (plus `, K skipped`), as `spl test` ends."""
    details: str
    """The failures with their diffs, as `spl test` prints them."""
    @property
    def ok(self) -> bool:
        """True when nothing failed."""
    def __bool__(self) -> bool: ...

def test(
    path: _Paths,
    *,
    macros: Optional[_Paths] = None,
    lookups: Optional[_Paths] = None,
    apps: Optional[_Paths] = None,
    default_apps: bool = True,
    geoip: Optional[_Path] = None,
    now: Optional[Union[str, float]] = None,
    bless: bool = False,
) -> TestReport:
    """Runs `.spltest` files and detection YAMLs (a file, a directory, or a
    list) as `spl test` does."""
