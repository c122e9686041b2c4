"""Reading a catalogue file: its encoding (UTF-8, else Windows-1252 with a warning), its rows with
their line numbers, and its header.
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
    encoding: str = "utf-8"
    fell_back: bool = False
    bad_lines: int = 0


def _scan(src: _Source) -> _Scan:
    """Count lines and choose the encoding: UTF-8, or Windows-1252 if no line is UTF-8 at all."""
    scan = _Scan()
    utf8_lines = bad_lines = 0
    for raw in src.lines():
        scan.lines += 1
        if not raw.isascii():
            try:
                raw.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                bad_lines += 1
    scan.bad_lines = bad_lines
    if bad_lines and not utf8_lines:
        scan.encoding, scan.fell_back = "cp1252", True
    return scan


def _records(src: _Source, scan: _Scan) -> Iterator[tuple[int, list[str], bool]]:
    """(first line number, fields, whether a line of it was not valid in the file's encoding)."""
    encoding = scan.encoding
    if scan.fell_back or not scan.bad_lines:
        reader = csv.reader(src.text_lines(encoding))
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

    reader = csv.reader(decoded())
    last = 0
    for fields in reader:
        start, last = last + 1, reader.line_num
        bad = bool(bad_lines) and any(n in bad_lines for n in range(start, last + 1))
        yield start, fields, bad


def _header(fields: list[str]) -> list[str]:
    return [name.replace("\ufeff", "").strip().upper() for name in fields]


def missing_columns(source: Any) -> list[str]:
    """The required columns the file's header lacks (all of them if the file is empty or unreadable).

    Reads only the first line; used by the upload page to refuse a wrong file at once.
    """
    src = _Source(source)
    try:
        first = next(iter(src.lines()), b"")
        try:
            text = first.decode("utf-8")
        except UnicodeDecodeError:
            text = first.decode("cp1252", "replace")
        fields = next(csv.reader([text]), [])
        header = set(_header(fields))
        return [name for name in REQUIRED_COLUMNS if name not in header]
    finally:
        src.close()
