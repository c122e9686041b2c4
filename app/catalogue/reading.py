"""Reading a catalogue file: its encoding (UTF-8, else Windows-1252 with a warning), its delimiter
(comma, semicolon or tab), how many rows it has, its rows with their line numbers, and its header.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

REQUIRED_COLUMNS = ("CV_CCT", "C_NOMBRE", "C_TIPO", "SUPERVISION_CV_CCT")

DELIMITERS = (",", ";", "\t")

SNIFF_BYTES = 16 * 1024  # the start of the file that decides its delimiter


class _Source:
    """A path or a binary file object, readable several times from its start."""

    def __init__(self, source: Any):
        self._path: str | None = None
        self._file: IO[bytes] | None = None
        self._start = 0
        self._spool = None
        if isinstance(source, (str, os.PathLike)):
            self._path = os.fspath(source)
            return
        stream = getattr(source, "stream", source)  # werkzeug FileStorage
        sample = stream.read(0)
        if isinstance(sample, str) or not _seekable(stream):
            self._spool = tempfile.TemporaryFile()
            if isinstance(sample, str):
                self._spool.write(stream.read().encode("utf-8"))
            else:
                shutil.copyfileobj(stream, self._spool)
            self._file = self._spool
        else:
            self._file = stream
            self._start = stream.tell()

    def lines(self) -> Iterator[bytes]:
        """The file's lines as bytes, from its start."""
        if self._path is not None:
            with open(self._path, "rb") as fh:
                yield from fh
            return
        assert self._file is not None
        self._file.seek(self._start)
        yield from self._file

    def text_lines(self, encoding: str) -> Iterator[str]:
        """The file's lines decoded by the io module (fast path for a file known to decode)."""
        if self._path is not None:
            with open(self._path, encoding=encoding, errors="replace", newline="") as fh:
                yield from fh
            return
        assert self._file is not None
        self._file.seek(self._start)
        wrapper = io.TextIOWrapper(self._file, encoding=encoding, errors="replace", newline="")
        try:
            yield from wrapper
        finally:
            wrapper.detach()  # leave the caller's file open

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()


def _seekable(stream) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


@dataclass
class _Scan:
    lines: int = 0
    rows: int = 0  # records after the header, blank lines left out
    encoding: str = "utf-8"
    fell_back: bool = False
    bad_lines: int = 0
    delimiter: str = ","


def _scan(src: _Source) -> _Scan:
    """One cheap pass over the bytes: count lines and rows, choose the encoding (UTF-8, or
    Windows-1252 if no line is UTF-8 at all) and the delimiter (from the first few KB).

    A row is counted where a line starts outside quotes and is not blank; a line with an odd number
    of quote characters opens or closes a quoted field, so a field spanning lines is one row, as for
    the csv module (a stray quote in the middle of an unquoted field would throw the count off; the
    import then corrects the total once it has read the whole file).
    """
    scan = _Scan()
    utf8_lines = bad_lines = records = 0
    quoted = False
    sample = bytearray()
    for raw in src.lines():
        scan.lines += 1
        if len(sample) < SNIFF_BYTES:
            sample += raw
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                bad_lines += 1
        if not quoted and raw.strip():
            records += 1
        if raw.count(b'"') % 2:
            quoted = not quoted
    scan.bad_lines = bad_lines
    scan.rows = max(records - 1, 0)
    if bad_lines and not utf8_lines:
        scan.encoding, scan.fell_back = "cp1252", True
    scan.delimiter = detect_delimiter(_decoded_sample(bytes(sample), scan.encoding))
    return scan


def _decoded_sample(sample: bytes, encoding: str, errors: str = "replace") -> str:
    """The sample as text, cut after its last whole line when the file goes on."""
    if len(sample) > SNIFF_BYTES:
        sample = sample[:SNIFF_BYTES]
        end = max(sample.rfind(b"\n"), sample.rfind(b"\r"))
        if end > 0:
            sample = sample[: end + 1]
    return sample.decode(encoding, errors)


def detect_delimiter(sample: str) -> str:
    """The delimiter of a catalogue file (comma, semicolon or tab) from its first few KB.

    The header decides: the delimiter that splits the first line into the most catalogue columns.
    Without a catalogue column there, ``csv.Sniffer`` restricted to the three decides; else a comma.
    """
    first = sample.splitlines()[0] if sample else ""
    known = {
        d: len(set(_header(next(csv.reader([first], delimiter=d), []))) & set(REQUIRED_COLUMNS))
        for d in DELIMITERS
    }
    best = max(DELIMITERS, key=known.__getitem__)  # a tie keeps the first: the comma
    if known[best]:
        return best
    try:
        return csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def count_rows(source: Any) -> int:
    """How many rows (records after the header, blank lines left out) the file has: one cheap pass."""
    src = _Source(source)
    try:
        return _scan(src).rows
    finally:
        src.close()


def _records(src: _Source, scan: _Scan) -> Iterator[tuple[int, list[str], bool]]:
    """(first line number, fields, whether a line of it was not valid in the file's encoding)."""
    encoding, delimiter = scan.encoding, scan.delimiter
    if scan.fell_back or not scan.bad_lines:
        reader = csv.reader(src.text_lines(encoding), delimiter=delimiter)
        last = 0
        for fields in reader:
            start, last = last + 1, reader.line_num
            yield start, fields, False
        return
    bad_lines: set[int] = set()

    def decoded() -> Iterator[str]:
        for number, raw in enumerate(src.lines(), 1):
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                if encoding == "utf-8":
                    bad_lines.add(number)
                    yield raw.decode("utf-8", "replace")
                else:
                    yield raw.decode("latin-1")

    reader = csv.reader(decoded(), delimiter=delimiter)
    last = 0
    for fields in reader:
        start, last = last + 1, reader.line_num
        bad = bool(bad_lines) and any(n in bad_lines for n in range(start, last + 1))
        yield start, fields, bad


def _header(fields: list[str]) -> list[str]:
    return [name.replace("\ufeff", "").strip().upper() for name in fields]


def missing_columns(source: Any) -> list[str]:
    """The required columns the file's header lacks (all of them if the file is empty or unreadable).

    Reads only the first few KB (the header, and the rows that may decide the delimiter); used by
    the upload page to refuse a wrong file at once.
    """
    src = _Source(source)
    try:
        sample = bytearray()
        for raw in src.lines():
            sample += raw
            if len(sample) > SNIFF_BYTES:
                break
        try:
            text = _decoded_sample(bytes(sample), "utf-8", "strict")
        except UnicodeDecodeError:
            text = _decoded_sample(bytes(sample), "cp1252")
        lines = text.splitlines()
        fields = next(csv.reader(lines[:1], delimiter=detect_delimiter(text)), [])
        header = set(_header(fields))
        return [name for name in REQUIRED_COLUMNS if name not in header]
    finally:
        src.close()
