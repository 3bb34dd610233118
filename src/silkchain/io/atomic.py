"""Atomic file writes that follow the user's umask: a temporary file beside the target, renamed.

The temporary file is named ``.<target name>.<pid>.<random>.tmp<suffix>``. A run killed
before the rename (``kill -9``) cannot remove its own; the next write to the same
target removes those of processes that no longer exist, so they do not outlive the
killed run for long. The new file gets the permissions of the file it replaces, or
``0666`` less the umask for a new file (``mkstemp`` alone would make it ``0600``).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "new_file_mode", "sweep_temporaries"]


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)  # no portable way to read it without setting it
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """Permissions of a new file under the current umask (``0o644`` for umask 022)."""
    return 0o666 & ~_umask()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_temporaries(target: str | os.PathLike[str]) -> list[Path]:
    """Remove temporary files of ``target`` left by processes that no longer run."""
    target = Path(target)
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]{{8}}\.tmp")
    removed = []
    with contextlib.suppress(OSError):
        for path in target.parent.iterdir():
            m = pattern.match(path.name)
            if m and int(m[1]) != os.getpid() and not _alive(int(m[1])):
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; rename it onto ``target`` on success.

    If the block raises, the temporary file is removed and ``target`` is left as
    it was, so readers never see a half-written file. The file follows the umask
    (or keeps the permissions of the file it replaces).
    """
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a folder, not a file name", str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(target)
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        mode = new_file_mode()
    name = f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp{suffix or target.suffix}"
    tmp_path = target.parent / name
    fd = os.open(tmp_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        yield tmp_path
        os.chmod(tmp_path, mode)
        os.replace(tmp_path, target)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
