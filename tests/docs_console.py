"""Console examples of the docs: parse them and run them as a user would type them.

A fenced block whose info string is ``console`` holds commands and what they print::

    $ silkchain indicators wiod2013:2011 -m koopman -o koopman.csv
    upstreamness: ...
    wrote 246 rows to koopman.csv

* A line starting with ``$ `` is a command; a command ending with `` \\`` goes on on the
  next line. Everything up to the next ``$ `` line (or the end of the block) is what the
  command prints, stdout and stderr together as a terminal shows them. Every command
  shows its output: a ``console`` command with nothing below it fails the test.
* ``...`` matches any text, inside a line or over several lines (doctest's ELLIPSIS);
  trailing spaces and trailing blank lines are ignored, nothing else.
* A plain ``silkchain ARGS`` command runs in this process through the Typer app; a
  command with a pipe, a redirection or another program (``head``, ``cat``) runs in
  ``bash`` with the package's ``silkchain`` first on ``PATH``.
* A command that exits with a non-zero code shows its ``error:`` line or ends with the
  comment ``# exit code N``.
* Commands run in a temporary working folder holding a copy of ``docs/examples``, with
  an empty temporary store (``SILKCHAIN_HOME``), no colour and an 80-column width; the
  commands of one page share the folder, so a page can write a file and read it back.
  The temporary folder and store print as ``/tmp/work`` and ``/tmp/work/home``.

Commands that cannot run in a test (``serve``, a download, a release that is not
bundled, a cluster run) go in a ``sh`` block, which is shown and never run.
"""

from __future__ import annotations

import doctest
import os
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PROMPT = "$ "
#: Shell operators that make a command line a shell pipeline rather than one ``silkchain`` run.
SHELL_OPERATORS = {"|", "||", "&", "&&", ";", ">", ">>", "<", "<<", "2>", "2>&1", "("}
#: What the temporary folder and store print as, so that pages show a stable path.
SHOWN_WORK, SHOWN_HOME = "/tmp/work", "/tmp/work/home"


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """``(info string, body)`` of every fenced block (``` or ~~~), in order."""
    blocks: list[tuple[str, str]] = []
    fence, info, body = "", "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not fence:
            if stripped.startswith(("```", "~~~")):
                fence = stripped[:3]
                info, body = stripped[3:].strip().lower(), []
        elif stripped.startswith(fence) and not stripped[3:].strip():
            blocks.append((info, "\n".join(body) + "\n"))
            fence = ""
        else:
            body.append(line)
    return blocks


@dataclass(frozen=True)
class Command:
    """One ``$`` command of a console block and the output the page shows for it."""

    line: str
    want: str
    block: int


def commands(text: str) -> list[Command]:
    """The commands of every ``console`` block of a page, in order.

    >>> page = "```console\\n$ silkchain a \\\\\\n    --b\\nout\\n$ x\\n```\\n"
    >>> [(c.line, c.want) for c in commands(page)]
    [('silkchain a --b', 'out\\n'), ('x', '')]
    """
    found: list[Command] = []
    console_blocks = [body for info, body in fenced_blocks(text) if info == "console"]
    for number, body in enumerate(console_blocks, 1):
        lines = body.splitlines()
        i = 0
        while i < len(lines):
            if not lines[i].startswith(PROMPT):
                raise ValueError(f"console block {number}: text before the first '$ ' "
                                 f"command: {lines[i]!r}")
            parts = [lines[i][len(PROMPT):]]
            while parts[-1].endswith("\\") and i + 1 < len(lines):
                parts[-1] = parts[-1][:-1].rstrip()
                i += 1
                parts.append(lines[i].strip())
            i += 1
            out: list[str] = []
            while i < len(lines) and not lines[i].startswith(PROMPT):
                out.append(lines[i])
                i += 1
            while out and not out[-1].strip():
                out.pop()
            found.append(Command(" ".join(parts).strip(), "".join(o + "\n" for o in out),
                                 number))
    return found


def is_plain(line: str) -> bool:
    """Whether ``line`` is one ``silkchain`` run with no shell operator.

    >>> is_plain("silkchain info wiod2013:2011   # a comment"), is_plain("silkchain x | head")
    (True, False)
    """
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    tokens = list(lexer)
    return bool(tokens) and tokens[0] == "silkchain" and not SHELL_OPERATORS & set(tokens)


def prepare(work: Path) -> dict[str, str]:
    """Make ``work`` a fresh working folder; the environment of the page's commands."""
    shutil.copytree(DOCS / "examples", work / "docs" / "examples")
    home = work / "home"
    return {"SILKCHAIN_HOME": str(home), "SILKCHAIN_CACHE_DIR": str(work / "cache"),
            "COLUMNS": "80", "LINES": "25", "NO_COLOR": "1", "TERM": "dumb",
            "PYTHONWARNINGS": "default"}


#: Variables of the developer's shell that would change what the examples print.
UNSET = ("SILKCHAIN_GROUPS", "SILKCHAIN_DASHBOARD_TOKEN", "FORCE_COLOR", "TTY_COMPATIBLE")


def run(command: Command, work: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run ``command`` in ``work``; its exit code and what it printed (stdout + stderr)."""
    if is_plain(command.line):
        from typer.testing import CliRunner

        from silkchain.cli.app import build_app
        from silkchain.groups import registry

        args = shlex.split(command.line, comments=True)[1:]
        # as in a process of its own: groups a --groups-file registers are forgotten after
        user, loaded = dict(registry._USER), set(registry._ENV_LOADED)
        try:
            result = CliRunner().invoke(build_app(), args, prog_name="silkchain",
                                        env={**env, **dict.fromkeys(UNSET)})
        finally:
            registry._USER.clear()
            registry._USER.update(user)
            registry._ENV_LOADED.clear()
            registry._ENV_LOADED.update(loaded)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        code, printed = result.exit_code, result.output
    else:
        bindir = str(Path(sys.executable).parent)
        full = {**os.environ, **env, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
        for name in UNSET:
            full.pop(name, None)
        done = subprocess.run(["bash", "-c", command.line], cwd=work, env=full, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)
        code, printed = done.returncode, done.stdout
    return code, normalise(printed, work, env)


def normalise(text: str, work: Path, env: dict[str, str]) -> str:
    """Temporary paths as :data:`SHOWN_WORK`/:data:`SHOWN_HOME`; no trailing spaces or lines."""
    for real, shown in ((env["SILKCHAIN_HOME"], SHOWN_HOME), (str(work), SHOWN_WORK),
                        (str(work.resolve()), SHOWN_WORK)):
        text = text.replace(real, shown)
    lines = [line.rstrip() for line in text.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "".join(line + "\n" for line in lines)


def matches(want: str, got: str) -> bool:
    """``got`` as ``want`` shows it, ``...`` standing for any text.

    >>> matches("a\\n...\\nz\\n", "a\\nb\\nc\\nz\\n")
    True
    >>> matches("wrote ... rows\\n", "wrote 2 rows\\n")
    True
    >>> matches("a\\n", "b\\n")
    False
    """
    want = "".join(line.rstrip() + "\n" for line in want.splitlines())
    return doctest.OutputChecker().check_output(want, got, doctest.ELLIPSIS)


def check(command: Command, code: int, got: str) -> str | None:
    """What is wrong with a run of ``command`` (None when it printed what the page shows)."""
    if not command.want.strip():
        return (f"`$ {command.line}` shows no output: paste what it prints, or move it to "
                "a ```sh block if it cannot run in a test")
    if not matches(command.want, got):
        return (f"`$ {command.line}` printed something else.\n--- the page shows:\n"
                f"{command.want}--- it printed (exit code {code}):\n{got}")
    shown = (any(line.startswith("error:") for line in command.want.splitlines())
             or f"# exit code {code}" in command.line)
    if code != 0 and not shown:
        return (f"`$ {command.line}` exited with code {code}; a failing example shows its "
                f"`error:` line or ends with the comment `# exit code {code}`")
    return None
