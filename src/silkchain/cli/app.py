"""Build the Typer application: every command module registered explicitly, in one list.

Adding a command = a module ``silkchain/cli/cmd_<name>.py`` with a
``register(app)`` function, plus one line in :data:`COMMAND_MODULES` below.
"""

from __future__ import annotations

import sys
import traceback
from functools import lru_cache
from typing import Annotated, Any

import typer
from typer._click import Command, Context
from typer.core import TyperGroup
from typer.exceptions import TyperException

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
    common,
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




class SilkchainGroup(TyperGroup):
    """The top-level group: one error path for every command, tidy help for every option.

    Whatever a command lets through (OS, encoding, YAML, overflow, memory errors, or a
    bug) becomes one ``error:`` line on stderr and exit code 1; ``--verbose`` adds the
    traceback. Flags show no ``<bool>`` type, arguments their upper-case name, and
    choices wrap between two choices.
    """

    def make_context(self, info_name: str | None, args: list[str],
                     parent: Context | None = None, **extra: Any) -> Context:
        _tidy_params(self)
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):  # usage errors, --help, exit codes
            raise
        except KeyboardInterrupt:
            common.errors.print("interrupted", highlight=False)
            raise typer.Exit(130) from None
        except Exception as err:
            if common.Settings.verbose:
                common.errors.print("".join(traceback.format_exception(err)).rstrip(),
                                    highlight=False, markup=False)
            raise common.fail(common.error_message(err)) from None


def _tidy_params(command: Command) -> None:
    ctx = Context(command, help_option_names=["-h", "--help"])
    helper = command.get_help_option(ctx)  # made once per command, then reused
    for param in [*command.params, *([helper] if helper is not None else [])]:
        kind = getattr(param, "param_type_name", "")
        if kind == "option" and getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
        elif (kind == "option" and param.metavar is None
              and getattr(getattr(param, "type_descriptor", None), "is_choice", False)):
            # spaces let the help wrap between choices, never inside one
            choices = param.type_descriptor.choices or ()
            param.metavar = " | ".join(str(getattr(c, "value", c)) for c in choices)
        elif kind == "argument" and param.metavar is None and param.name:
            param.metavar = param.name.upper()
    for sub in getattr(command, "commands", {}).values():
        _tidy_params(sub)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("silkchain")
        except PackageNotFoundError:  # pragma: no cover - run from a source tree
            number = "unknown"
        common.out.print(f"silkchain {number}", highlight=False, markup=False)
        raise typer.Exit()


def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only on "
                                        "stderr (no notes, no progress).")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print the traceback of "
                                          "an unexpected error.")] = False,
) -> None:
    """Global value chains on inter-country input-output tables: measures, Belt and Road
    analysis, scenarios, reports."""
    common.set_verbosity(quiet, verbose)


@lru_cache(maxsize=1)
def build_app() -> typer.Typer:
    """The ``silkchain`` Typer app with every command module registered."""
    app = typer.Typer(
        name="silkchain",
        cls=SilkchainGroup,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main)
    common.route_notes()  # the silkchain logger's warnings become notes on stderr
    for module in COMMAND_MODULES:
        module.register(app)
    return app


def main() -> None:
    """Run the command line (``sys.argv``)."""
    build_app()(prog_name="silkchain", args=sys.argv[1:])
