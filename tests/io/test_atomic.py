"""Atomic writes: the umask, a replaced file's mode, temporaries of killed runs."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from silkchain.io.atomic import atomic_path, new_file_mode, sweep_temporaries


@pytest.fixture()
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


def test_new_files_follow_the_umask(tmp_path: Path, umask_027: None) -> None:
    assert new_file_mode() == 0o640
    target = tmp_path / "out.csv"
    with atomic_path(target) as tmp:
        tmp.write_text("a\n")
    assert target.stat().st_mode & 0o777 == 0o640
    target.chmod(0o604)
    with atomic_path(target) as tmp:
        tmp.write_text("b\n")
    assert target.read_text() == "b\n" and target.stat().st_mode & 0o777 == 0o604


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old\n" and sorted(tmp_path.iterdir()) == [target]


def test_a_folder_is_not_a_target(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="Is a folder"), atomic_path(tmp_path):
        pass


def test_temporaries_of_a_killed_run_are_swept_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    script = textwrap.dedent(f"""
        import os
        from silkchain.io.atomic import atomic_path
        with atomic_path({str(target)!r}) as tmp:
            tmp.write_text("half")
            os.kill(os.getpid(), 9)
    """)
    proc = subprocess.run([sys.executable, "-c", script], check=False)
    assert proc.returncode == -9
    left = [p for p in tmp_path.iterdir() if p.name.startswith(".out.csv.")]
    assert len(left) == 1 and not target.exists()
    mine = tmp_path / f".out.csv.{os.getpid()}.0123abcd.tmp.csv"  # a live process's: kept
    mine.write_text("in progress")
    assert sweep_temporaries(target) == left
    with atomic_path(target) as tmp:
        tmp.write_text("done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [mine.name, "out.csv"]
