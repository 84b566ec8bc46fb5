"""Atomic, honest writes: what every output file of the tracker goes through.

A file is written under a unique temporary name beside its target (``tempfile`` in the target's
folder, so two commands writing the same output never share one), every write and the final
flush and ``fsync`` are checked, and only then is it renamed over the target. On any failure the
old file stays as it was, the temporary file goes, and the caller gets an ``OutputError``.

The target is what the user named, seen through links: a symbolic link is written through (the
file it points at is replaced, the link stays); a FIFO or a device (``/dev/null``,
``/dev/stdout``) is written directly and never replaced by a rename. New files get the mode the
umask allows (``0o666 & ~umask``), as ``open()`` would; an existing file keeps its mode.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from tracker.errors import OutputError

def _writer_errors() -> tuple[type[BaseException], ...]:
    """Errors of GDAL writers (pyogrio) are RuntimeErrors, not OSErrors; they end a write like one.
    Read when a write fails, so that commands writing no GeoPackage do not import pyogrio (and
    pandas with it) at start-up."""
    try:
        from pyogrio.errors import DataLayerError, DataSourceError
    except ImportError:  # pragma: no cover - pyogrio is a dependency; keep this module importable without it
        return (OSError,)
    return (OSError, DataSourceError, DataLayerError)


def printable(value: object) -> str:
    """``value`` as text with control characters escaped (``\\x1b``), safe to show on a terminal."""
    from tracker.common.messages import escape_controls

    return escape_controls(str(value))


def _cannot_write(path: object, error: BaseException) -> OutputError:
    lines = str(error).strip().splitlines()
    reason = getattr(error, "strerror", None) or (lines[0] if lines else type(error).__name__)
    return OutputError(f"{printable(path)}: cannot be written ({reason})")


def current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def resolve_target(path: str | Path) -> tuple[Path, bool]:
    """(the file to write, whether it is special): links followed; special means a FIFO or device,
    written directly. A folder or a socket cannot be an output."""
    given = Path(path)
    try:
        mode = os.stat(given).st_mode  # through links
    except FileNotFoundError:
        return Path(os.path.realpath(given)), False  # a new file, or the missing file a link names
    except OSError as error:
        raise _cannot_write(path, error) from error
    if stat.S_ISDIR(mode):
        raise OutputError(f"{printable(path)}: is a folder; give a file name")
    if stat.S_ISREG(mode):
        return Path(os.path.realpath(given)), False
    if stat.S_ISSOCK(mode):
        raise OutputError(f"{printable(path)}: is a socket; give a file name")
    # opened by the name given: /dev/stdout leads through /proc to a pipe no path names
    return given, True


def same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_inputs(output: str | Path | None, inputs: Iterable[str | Path], *,
                  would_read: Callable[[Path], bool] | None = None) -> None:
    """Raise ``OutputError`` (exit 6) when ``output`` is one of the inputs, before anything is read.

    ``inputs`` are files or folders; a file inside an input folder counts when ``would_read``
    says the folder's reader would take it as an article file.
    """
    if output in (None, "-"):
        return
    target = Path(os.path.realpath(output))
    if not target.exists():
        return
    for item in inputs:
        if str(item) == "-":
            continue
        source = Path(item)
        if same_file(source, target):
            raise OutputError(f"{printable(output)}: is also an input ({printable(item)}); "
                              "give another output name")
        if source.is_dir() and would_read is not None and target.is_file():
            folder = Path(os.path.realpath(source))
            if folder in target.parents and would_read(target):
                raise OutputError(f"{printable(output)}: lies in the input folder {printable(item)} and would be "
                                  "read as an input; give an output outside it")


def _new_file_mode(real: Path) -> int:
    try:
        existing = real.stat()
        if stat.S_ISREG(existing.st_mode):
            return stat.S_IMODE(existing.st_mode)
    except OSError:
        pass
    return 0o666 & ~current_umask()


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on folders; the rename itself is atomic
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    """Flush a closed file's data to the disk (a file GDAL or SQLite wrote)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _copy_into(source: Path, special: Path) -> None:
    with open(source, "rb") as reader, open(special, "wb") as writer:
        shutil.copyfileobj(reader, writer, 1 << 20)
        writer.flush()


@contextmanager
def atomic_stream(path: str | Path, *, encoding: str = "utf-8", newline: str | None = None) -> Iterator[IO[str]]:
    """A text stream whose content replaces ``path`` when the block ends without error."""
    real, special = resolve_target(path)
    if special:
        try:
            handle = open(real, "w", encoding=encoding, newline=newline)
        except OSError as error:
            raise _cannot_write(path, error) from error
        try:
            with handle:
                yield handle
        except OSError as error:
            raise _cannot_write(path, error) from error
        return
    mode = _new_file_mode(real)
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp")
    except OSError as error:
        raise _cannot_write(path, error) from error
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, real)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError) and not isinstance(error, OutputError):
            raise _cannot_write(path, error) from error
        raise
    _fsync_folder(real.parent)


@contextmanager
def atomic_path(path: str | Path, *, check: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """A fresh path for writers that need a file name (GDAL, Chromium); installed over ``path``
    when the block ends without error and ``check(temporary)`` passes.

    The temporary file has the target's own name inside a unique hidden folder beside the target,
    so formats that record their file name (KML's document) carry the real one, and sidecar files
    (SQLite journals) stay inside that folder. Errors of the writer (``OSError``, GDAL's) and of
    ``check`` become an ``OutputError``; the old file stays.
    """
    real, special = resolve_target(path)
    mode = _new_file_mode(real)
    try:
        if special:
            folder = Path(tempfile.mkdtemp(prefix="tracker-output-"))
        else:
            real.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(dir=real.parent, prefix=f".{real.name}.", suffix=".tmp"))
    except OSError as error:
        raise _cannot_write(path, error) from error
    # a device's own name ("null") would hide the format GDAL reads from the extension
    temporary = folder / (Path(path).name if special else real.name)
    try:
        yield temporary
        if not temporary.is_file():
            raise OutputError(f"{printable(path)}: cannot be written (the writer produced no file)")
        if check is not None:
            check(temporary)
        fsync_file(temporary)
        if special:
            _copy_into(temporary, real)
        else:
            os.chmod(temporary, mode)
            os.replace(temporary, real)
            _fsync_folder(real.parent)
    except OutputError:
        raise
    except _writer_errors() as error:
        raise _cannot_write(path, error) from error
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_text(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns the path as given."""
    with atomic_stream(path) as handle:
        handle.write(text)
    return Path(path)
