"""The single error boundary: every failure ends here as one line on stderr and an exit code.

``DtimelineError`` -> its own code; a usage error from the option parser -> 2; Ctrl-C -> 130;
a closed stdout (``| head -1``) -> quiet exit 0; anything unexpected -> 70 with a hint to rerun
with ``--debug``, which shows the traceback instead.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from typer.core import TyperGroup

from dtimeline.errors import DtimelineError, ExitCode

INTERNAL_ERROR = ExitCode.INTERNAL  # a bug in dtimeline
_CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]"  # compiled on first error only


def one_line(text: str) -> str:
    """Make a message safe for a terminal: one line, control characters shown escaped."""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return re.sub(_CONTROL, lambda m: repr(m.group())[1:-1], text)


def fail(message: str, code: int) -> NoReturn:
    try:
        sys.stderr.write(f"dtimeline: {one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    raise SystemExit(code)


def _quiet_broken_pipe() -> NoReturn:
    # Python flushes stdout at exit; point it at /dev/null so that flush cannot fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    raise SystemExit(0)


def debug_requested(args: Sequence[str] | None) -> bool:
    argv = sys.argv[1:] if args is None else list(args)
    if "--debug" in argv:
        return True
    return os.environ.get("DTIMELINE_DEBUG", "") not in ("", "0")


def run_guarded(call: Callable[[], Any], args: Sequence[str] | None) -> Any:
    """Run ``call`` (the parser and the command) and map every outcome to an exit."""
    import typer
    from typer._click import exceptions as click_exc

    debug = debug_requested(args)
    try:
        result = call()
    except DtimelineError as exc:
        if debug:
            raise
        fail(str(exc), exc.exit_code)
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click_exc.NoArgsIsHelpError as exc:
        # bare `dtimeline`: typer has printed the help already (rich) or hands it to us
        message = exc.format_message().strip()
        if message:
            sys.stderr.write(message + "\n")
        raise SystemExit(ExitCode.USAGE) from None
    except click_exc.UsageError as exc:
        from dtimeline.cli.wording import usage_message

        where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
        fail(f"{usage_message(exc)}{where}", ExitCode.USAGE)
    except click_exc.ClickException as exc:
        fail(exc.format_message(), exc.exit_code)
    except (KeyboardInterrupt, _InterruptedError, typer.Abort):
        fail("interrupted", ExitCode.INTERRUPTED)
    except (BrokenPipeError, _ClosedPipeError):
        _quiet_broken_pipe()
    except SystemExit:
        raise
    except Exception as exc:
        if debug:
            raise
        if isinstance(exc.__cause__, KeyboardInterrupt):  # wrapped, e.g. by __set_name__
            fail("interrupted", ExitCode.INTERRUPTED)
        fail(
            f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
            INTERNAL_ERROR,
        )
    if isinstance(result, int) and not isinstance(result, bool):
        raise SystemExit(result)
    raise SystemExit(0)


class _ClosedPipeError(Exception):
    """stdout's reader went away; carried past click, which would turn EPIPE into exit 1."""


def route_closed_pipes() -> None:
    """Help text is printed by rich consoles that typer makes; on a closed pipe
    (``dtimeline query --help | head -1``) rich's ``Console.on_broken_pipe`` (its documented
    hook) would exit 1. Raise past click to the boundary instead, which exits 0 as for data.
    Called as help is drawn (rich is imported then anyway; ``--version`` stays without it)."""
    from rich.console import Console

    def closed(console: Console) -> None:
        console.quiet = True
        raise _ClosedPipeError

    Console.on_broken_pipe = closed  # type: ignore[method-assign,assignment]


class _InterruptedError(Exception):
    """Ctrl-C; carried past typer, which would exit 130 without a word."""


class GuardedGroup(TyperGroup):
    """A TyperGroup whose ``main`` is the error boundary (also under typer's CliRunner)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        del standalone_mode  # we are always the boundary

        def call() -> Any:
            return super(GuardedGroup, self).main(
                args=args,
                prog_name=prog_name or "dtimeline",
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )

        return run_guarded(call, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        route_closed_pipes()
        super().format_help(ctx, formatter)

    def get_params(self, ctx: Any) -> list[Any]:
        from dtimeline.cli.helptext import plain_param

        return [plain_param(p) for p in super().get_params(ctx)]

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                finish = getattr(ctx.obj, "finish", None)
                if finish is not None:
                    finish()  # output held for the pager (cli/state.py)
        except BrokenPipeError:
            raise _ClosedPipeError from None
        except KeyboardInterrupt:
            raise _InterruptedError from None
