"""Build the Typer application: every command module registered explicitly, in one list.

Adding a command = a module ``silkchain/cli/cmd_<name>.py`` with a
``register(app)`` function, plus one line in :data:`COMMAND_MODULES` below.
"""

from __future__ import annotations

from functools import lru_cache

import typer

from silkchain.cli import (
    cmd_aggregate,
    cmd_bri,
    cmd_compare,
    cmd_decompose,
    cmd_groups,
    cmd_import,
    cmd_indicators,
    cmd_panel,
    cmd_report,
    cmd_scenario,
    cmd_sda,
    cmd_serve,
    cmd_store,
    cmd_table,
)

#: The command modules, in the order their commands are listed by ``silkchain --help``.
COMMAND_MODULES = (
    cmd_table,
    cmd_import,
    cmd_store,
    cmd_aggregate,
    cmd_groups,
    cmd_decompose,
    cmd_indicators,
    cmd_panel,
    cmd_sda,
    cmd_compare,
    cmd_bri,
    cmd_scenario,
    cmd_report,
    cmd_serve,
)


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
    for module in COMMAND_MODULES:
        module.register(app)
    return app
