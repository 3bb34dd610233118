"""silkchain's command line: a thin layer that parses arguments and calls the public API.

Commands live in modules ``silkchain.cli.cmd_*``; each defines ``register(app)``
and is listed in :data:`silkchain.cli.app.COMMAND_MODULES` (no discovery by name).
"""

from __future__ import annotations

import sys


def main() -> None:
    """Entry point of the ``silkchain`` console script."""
    try:
        from silkchain.cli.app import main as run
    except ModuleNotFoundError as err:  # typer/rich are the `cli` extra
        sys.stderr.write(
            f"silkchain's command line needs the 'cli' extra ({err.name} is missing): "
            "pip install 'silkchain[cli]'\n"
        )
        raise SystemExit(2) from None
    run()
