"""The report's two files, ``report.html`` and ``report.xlsx``, replaced together.

:func:`write_outputs` writes both to temporaries in the output folder, then writes a
commit journal (``.report-commit.json``, itself atomic) naming the two renames, makes
them, and removes the journal. A run killed

* before the journal exists leaves the old pair untouched (its temporaries are
  removed by the next run);
* after it (between or during the renames) leaves the journal, and the next run into
  that folder, or :func:`recover`, finishes the renames first: the folder then holds
  the new pair. Both temporaries are complete before the journal is written, so
  finishing is always safe.

So once a run has started again (or :func:`recover` has run) the folder holds the old
pair or the new one, never a page beside a workbook from another run, and no
``.report.*`` temporary outlives the killed run. Files follow the user's umask.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

from silkchain.report.document import Report
from silkchain.report.excel import umask_mode, write_report_workbook
from silkchain.report.page import render_html

HTML = "report.html"
WORKBOOK = "report.xlsx"
JOURNAL = ".report-commit.json"
#: Temporaries of this module and of earlier versions (mkstemp ``.report.xlsx.*``).
LEFTOVERS = (".report.html.*", ".report.xlsx.*", "..report.html.*", "..report.xlsx.*",
             ".report-commit.json.*")


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def recover(folder: str | os.PathLike[str]) -> list[str]:
    """Finish an interrupted replacement in ``folder`` and remove stale temporaries.

    Returns what was done (file names), for messages and tests.
    """
    folder = Path(folder)
    done: list[str] = []
    journal = folder / JOURNAL
    if journal.exists():
        try:
            renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
        except (ValueError, KeyError, TypeError, OSError):
            renames = []  # a journal is written atomically: unreadable means not ours
        for tmp, final in renames:
            src, dst = folder / Path(tmp).name, folder / Path(final).name
            if src.exists():
                os.replace(src, dst)
                done.append(f"finished {dst.name}")
        _fsync_dir(folder)
        journal.unlink(missing_ok=True)
    for pattern in LEFTOVERS:
        for stale in folder.glob(pattern):
            if stale.is_file():
                stale.unlink(missing_ok=True)
                done.append(f"removed {stale.name}")
    return done


def write_outputs(report: Report, folder: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.xlsx`` into ``folder``, replacing both together.

    Returns ``(html, workbook)``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    recover(folder)
    token = uuid.uuid4().hex[:12]
    tmp_book = folder / f".{WORKBOOK}.{token}.partial"
    tmp_html = folder / f".{HTML}.{token}.partial"
    try:
        write_report_workbook(report, tmp_book)
        text = render_html(report, workbook=WORKBOOK)
        with open(tmp_html, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        for tmp in (tmp_book, tmp_html):
            tmp.chmod(umask_mode())
        journal_tmp = folder / f"{JOURNAL}.{token}"
        journal_tmp.write_text(json.dumps({"renames": [[tmp_book.name, WORKBOOK],
                                                       [tmp_html.name, HTML]]}),
                               encoding="utf-8")
        os.replace(journal_tmp, folder / JOURNAL)
        _fsync_dir(folder)
    except BaseException:
        for tmp in (tmp_book, tmp_html, folder / f"{JOURNAL}.{token}"):
            tmp.unlink(missing_ok=True)
        raise
    recover(folder)  # the two renames, then the journal goes
    return folder / HTML, folder / WORKBOOK
