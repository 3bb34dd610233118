"""Build the Typer application from every ``silkchain.cli.cmd_*`` module."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

import typer

import silkchain.cli as cli_pkg


@lru_cache(maxsize=1)
def build_app() -> typer.Typer:
    """The ``silkchain`` Typer app with every command module registered."""
    app = typer.Typer(
        name="silkchain",
        help="Global value chains on inter-country input-output tables: measures, "
        "Belt and Road analysis, scenarios, reports.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    for mod in sorted(m.name for m in pkgutil.iter_modules(cli_pkg.__path__)):
        if mod.startswith("cmd_"):
            module = importlib.import_module(f"silkchain.cli.{mod}")
            module.register(app)
    return app
