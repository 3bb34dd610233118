"""Helpers shared by the command modules: consoles, the one error path, progress, outputs.

* ``console`` (stderr) carries messages only: progress displays render on a terminal
  and nowhere else (no bars or blank lines in logs), lines are never wrapped by width
  when stderr is not a terminal, and ``--quiet`` silences it (errors still print).
* ``out`` (stdout) carries results.
* :func:`error_message` turns any exception a command lets through into one line
  (OS, encoding, YAML, overflow and memory errors included); the application's group
  (:mod:`silkchain.cli.app`) prints it and exits 1, with no traceback unless
  ``--verbose``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from silkchain.errors import SilkchainError

T = TypeVar("T")

TABLE_HELP = "A dataset id (e.g. wiod2013:2011; see `silkchain datasets`) or a table file path."
#: Longest line of a value quoted in an error message (longer ones are cut with "...").
MAX_LINE = 300
#: Most lines of one error message.
MAX_LINES = 60


class MessageConsole(Console):
    """A console for messages: live displays (progress bars) render only on a terminal."""

    def set_live(self, live: Any) -> bool:
        if self.is_terminal and not self.quiet:
            return super().set_live(live)
        with self._lock:  # a quiet stand-in: a nested live refreshes the stack's first entry
            self._live_stack.append(_QuietLive())
        live.transient = True  # nothing of the display is printed when it stops
        return False

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print ``objects``; an empty print (the blank line a progress display leaves
        when it stops off a terminal, ``rich.progress.Progress.stop``) prints nothing there."""
        if not objects and not self.is_terminal:
            return
        super().print(*objects, **kwargs)


class _QuietLive:
    """Stands in the console's live stack for a display that is not drawn (no terminal)."""

    def refresh(self) -> None:
        """Nothing to draw."""


console = MessageConsole(stderr=True, soft_wrap=True)
#: Errors: printed even under ``--quiet``.
errors = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


class Settings:
    """Global options of the current run (``--quiet``, ``--verbose``)."""

    verbose = False


def set_verbosity(quiet: bool, verbose: bool) -> None:
    """Apply ``--quiet``/``--verbose`` to the message console."""
    console.quiet = quiet
    Settings.verbose = verbose


class NoteHandler(logging.Handler):
    """Prints the ``silkchain`` logger's warnings as ``note: ...`` lines on the message
    console (silenced by ``--quiet``)."""

    def emit(self, record: logging.LogRecord) -> None:
        console.print(f"note: {record.getMessage()}", highlight=False, markup=False)


def route_notes() -> None:
    """Send the ``silkchain`` logger's messages to :class:`NoteHandler` (once)."""
    logger = logging.getLogger("silkchain")
    if not any(isinstance(h, NoteHandler) for h in logger.handlers):
        logger.addHandler(NoteHandler(logging.WARNING))


def shorten(text: str, limit: int = MAX_LINE) -> str:
    """``text`` cut to ``limit`` characters per line and :data:`MAX_LINES` lines.

    >>> shorten("x" * 400, 10)
    'xxxxxxx...'
    """
    lines = [line if len(line) <= limit else line[:limit - 3] + "..."
             for line in text.splitlines()[:MAX_LINES]]
    if len(text.splitlines()) > MAX_LINES:
        lines.append(f"... ({len(text.splitlines()) - MAX_LINES} more lines)")
    return "\n".join(lines)


def error_message(err: BaseException) -> str:
    """One message for an exception that reached the command line, without a traceback.

    >>> error_message(FileNotFoundError(2, "No such file or directory", "in.csv"))
    'in.csv: no such file or directory'
    >>> error_message(OverflowError("int too large to convert to float"))
    'a number is too large: int too large to convert to float'
    """
    if isinstance(err, SilkchainError):
        return shorten(str(err.args[0]) if err.args else type(err).__name__)
    if isinstance(err, OSError) and err.strerror:
        what = err.strerror[0].lower() + err.strerror[1:]
        where = err.filename if err.filename is not None else ""
        if err.filename2 is not None:
            where = f"{where} -> {err.filename2}"
        return shorten(f"{where}: {what}" if where else what)
    if isinstance(err, UnicodeDecodeError):
        return shorten(f"not UTF-8 text: byte 0x{err.object[err.start]:02x} at position "
                       f"{err.start} cannot be decoded ({err.encoding})")
    if isinstance(err, OverflowError):
        return shorten(f"a number is too large: {err}")
    if isinstance(err, MemoryError):
        return "out of memory (the input is too large for this machine)"
    if isinstance(err, RecursionError):
        return "the input is nested too deeply"
    if type(err).__module__.startswith("yaml"):
        return shorten(f"not valid YAML: {err}")
    if isinstance(err, KeyError) and err.args:
        return shorten(str(err.args[0]))
    if isinstance(err, (ValueError, ImportError)):
        return shorten(str(err) or type(err).__name__)
    return shorten(f"internal error ({type(err).__name__}: {err}); please report it with "
                   "the command that caused it (--verbose shows the details)")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as an error and return the ``Exit`` to raise."""
    errors.print(f"[bold red]error:[/] {escape(shorten(message))}", highlight=False,
                 soft_wrap=True)
    return typer.Exit(code)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn silkchain's own and the usual input/output errors into a message and exit 1."""
    try:
        yield
    except (SilkchainError, KeyError, OSError, UnicodeError, OverflowError,
            MemoryError, RecursionError) as err:
        raise fail(error_message(err)) from None


def with_progress(description: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` under a Rich spinner on a terminal (plainly elsewhere)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=console, transient=True,
                  disable=not console.is_terminal) as progress:
        progress.add_task(description, total=None)
        return fn(*args, **kwargs)


def check_output(path: Path, suffixes: tuple[str, ...] | None = None) -> Path:
    """Refuse, before any work, an output path that names a folder or has a wrong suffix.

    An existing file is replaced (atomically): outputs are results that a command
    writes again, as ``make`` does.
    """
    if path.is_dir():
        raise fail(f"{path}: is a folder; give a file name, e.g. {path / 'out.csv'}")
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise fail(f"{path.name}: unsupported output suffix {path.suffix!r}; use "
                   f"{', '.join(suffixes)}")
    if path.parent.exists() and not path.parent.is_dir():
        raise fail(f"{path.parent}: is a file, not a folder")
    return path


def write_frame(frame: pd.DataFrame, path: Path, sheet: str = "data") -> Path:
    """Write a tidy frame as CSV, Parquet or Excel by ``path``'s suffix, atomically."""
    from silkchain.io.write import OutputError
    from silkchain.io.write import write_frame as write

    check_output(path)
    try:
        return write(frame, path, sheet=sheet)
    except ImportError as err:
        raise fail(f"writing {path.suffix.lower()} needs an optional package ({err}); "
                   "pip install 'silkchain[io]'") from None
    except (OutputError, OSError) as err:
        raise fail(error_message(err)) from None
