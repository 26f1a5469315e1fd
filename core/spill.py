"""Group text values by key in bounded memory, however many there are (pure Python, no Django).

A case-finding run reads a whole practice, or a whole region, and some questions need every patient at once: which
NDJSON lines belong to one patient (a bulk export writes one file per resource type), which CSV rows repeat an id
already read. Holding every patient for the whole run makes memory grow with the population, so ``KeyedSpill``
keeps pairs in memory only up to ``max_bytes``; past that it writes them to ``FANOUT`` files by a hash of the key,
and reads the files back one at a time, splitting again (on other bits of the hash) any file still too big. Every
value of a key lands in the same file, in the order added, so grouping a file gives each key all of its values.

Keys must not hold a tab or a new line, values no new line (callers check or escape). The files live in a
temporary directory removed on ``close()``.
"""

from __future__ import annotations

import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

FANOUT = 64
_BITS = 6  # log2(FANOUT): each level of splitting reads the next 6 bits of the key's crc32
_MAX_LEVEL = 32 // _BITS - 1
# What a held pair costs besides its characters (a list slot, a tuple and two str objects), so that many short
# pairs (CSV ids) are counted as the memory they take, not as their few bytes.
PAIR_OVERHEAD = 170


def _bucket(key: str, level: int) -> int:
    return (zlib.crc32(key.encode("utf-8")) >> (_BITS * level)) % FANOUT


class KeyedSpill:
    """Add (key, value) pairs with ``add``; ``groups()`` then yields (key, [values in the order added]) for every
    key, once. In memory, keys come back in the order first added; once spilled, in the order of their files."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._held: list[tuple[str, str]] = []
        self._held_bytes = 0
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._files: _Files | None = None

    def add(self, key: str, value: str) -> None:
        if self._files is not None:
            self._files.write(_bucket(key, 0), f"{key}\t{value}\n")
            return
        self._held.append((key, value))
        self._held_bytes += len(key) + len(value) + PAIR_OVERHEAD
        if self._held_bytes > self.max_bytes:
            self._spill()

    @property
    def spilled(self) -> bool:
        return self._tmp is not None

    def _spill(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="spineprompt-spill-")
        self._files = _Files(Path(self._tmp.name), "")
        for key, value in self._held:
            self._files.write(_bucket(key, 0), f"{key}\t{value}\n")
        self._held, self._held_bytes = [], 0

    def groups(self) -> Iterator[tuple[str, list[str]]]:
        if self._files is None:
            yield from _grouped(self._held)
            self._held = []
            return
        files = self._files.close()
        self._files = None
        for path, cost in files:
            yield from self._file_groups(path, cost, level=0)

    def _file_groups(self, path: Path, cost: int, level: int) -> Iterator[tuple[str, list[str]]]:
        """One file's groups: loaded whole when its pairs fit in ``max_bytes`` (or when it cannot be split further:
        one key's values are always read together), else split by the next bits of the hash, part by part."""
        if cost <= self.max_bytes or level >= _MAX_LEVEL:
            yield from _grouped(_read(path))
            path.unlink()
            return
        parts = _Files(path.parent, f"{path.stem}.")
        try:
            for key, value in _read(path):
                parts.write(_bucket(key, level + 1), f"{key}\t{value}\n")
        finally:
            written = parts.close()
        path.unlink()
        for part, part_cost in written:
            yield from self._file_groups(part, part_cost, level + 1)

    def close(self) -> None:
        if self._files is not None:
            self._files.close()
        self._files, self._held = None, []
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> KeyedSpill:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Files:
    """Up to FANOUT bucket files in ``folder``, each opened when its first line is written (most splits of a small
    file fill only a few)."""

    def __init__(self, folder: Path, prefix: str) -> None:
        self.folder, self.prefix = folder, prefix
        self._open: dict[int, IO[str]] = {}
        self._cost: dict[int, int] = {}

    def write(self, bucket: int, row: str) -> None:
        fh = self._open.get(bucket)
        if fh is None:
            path = self.folder / f"{self.prefix}{bucket}.tsv"
            fh = self._open[bucket] = path.open("w", encoding="utf-8", newline="\n")  # noqa: SIM115 (closed in close())
            self._cost[bucket] = 0
        fh.write(row)
        self._cost[bucket] += len(row) + PAIR_OVERHEAD

    def close(self) -> list[tuple[Path, int]]:
        """Close every file; (path, what its pairs cost in memory), in bucket order."""
        out = []
        for bucket in sorted(self._open):
            self._open[bucket].close()
            out.append((Path(self._open[bucket].name), self._cost[bucket]))
        self._open, self._cost = {}, {}
        return out


def _grouped(pairs: Iterator[tuple[str, str]] | list[tuple[str, str]]) -> Iterator[tuple[str, list[str]]]:
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    yield from grouped.items()


def _read(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="\n") as fh:
        for row in fh:
            key, _, value = row[:-1].partition("\t")
            yield key, value


__all__ = ["FANOUT", "KeyedSpill"]
