"""Helpers shared by the command modules: reading tables, writing outputs, errors, progress."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from silkchain.errors import SilkchainError

console = Console(stderr=True)
out = Console()
T = TypeVar("T")

TABLE_HELP = "A dataset id (e.g. wiod2013:2011; see `silkchain datasets`) or a table file path."


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as an error and return the ``Exit`` to raise."""
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


@contextlib.contextmanager
def user_errors() -> Iterator[None]:
    """Turn silkchain's own errors into a clear message and exit code 1 (no traceback)."""
    try:
        yield
    except (SilkchainError, KeyError, FileNotFoundError) as err:
        msg = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        raise fail(str(msg)) from None


def with_progress(description: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run ``fn`` under a Rich spinner (for steps that take more than a second)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        progress.add_task(description, total=None)
        return fn(*args, **kwargs)


def write_frame(frame: pd.DataFrame, path: Path, sheet: str = "data") -> Path:
    """Write a tidy frame as CSV, Parquet or Excel by ``path``'s suffix, atomically.

    Written in slices by :func:`silkchain.io.write.write_frame`; a frame larger than
    an Excel sheet is refused with a clear message.
    """
    from silkchain.io.write import OutputError
    from silkchain.io.write import write_frame as write

    try:
        return write(frame, path, sheet)
    except OutputError as err:
        raise fail(str(err)) from None
    except ImportError as err:
        raise fail(f"writing {path.suffix.lower()} needs an optional package ({err}); "
                   "pip install 'silkchain[io]'") from None
