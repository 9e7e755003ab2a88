"""Commands that start a store and declare what events name: init, countries, actors,
and the listings tags and kinds.

Thin: values are checked here, every write goes through :mod:`dtimeline.store.declare`
(lock, atomic replace, undo history, comments kept), listings through
:mod:`dtimeline.render.entities`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from dtimeline.cli.helptext import PlainCommand, examples, plain_param
from dtimeline.cli.state import State, get_state

if TYPE_CHECKING:
    from dtimeline.model import Actor, Country, Store


class ListFormat(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    json = "json"


FormatOpt = Annotated[
    ListFormat,
    typer.Option(
        "--format",
        "-f",
        help="auto: a table on a terminal, tab-separated text in a pipe.",
        case_sensitive=False,
    ),
]
NameOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--name", metavar="NAME", help="The English name.", show_default=False),
]
NativeOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--native", metavar="TEXT", help="The name in its own language.",
                 show_default=False),
]  # fmt: skip
AliasOpt = Annotated[
    Optional[list[str]],  # noqa: UP045
    typer.Option("--alias", metavar="ALIAS", help="Another name it is known by; repeatable "
                 "(edit: replaces the list; --alias '' empties it).", show_default=False),
]  # fmt: skip
IsoOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--iso", metavar="XX", help="ISO 3166-1 alpha-2 code.", show_default=False),
]
Iso3Opt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--iso3", metavar="XXX", help="ISO 3166-1 alpha-3 code.", show_default=False),
]
RoleOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--role", metavar="TEXT", help="e.g. President of France.", show_default=False),
]


# --- init ---------------------------------------------------------------------------------


def init(
    ctx: typer.Context,
    path: Annotated[
        Optional[str],  # noqa: UP045
        typer.Argument(
            metavar="[PATH]",
            help="The new store (default: --store, else ./events.toml).",
            show_default=False,
        ),
    ] = None,
    bundled: Annotated[
        bool, typer.Option("--bundled", help="Start from a copy of the bundled timeline.")
    ] = False,
) -> None:
    """Create a new store: an empty one (schema and a comment), or with --bundled a copy
    of the timeline that comes with dtimeline. Never overwrites a file (exit 5)."""
    from dtimeline.store import bundled_path
    from dtimeline.store.create import init_store
    from dtimeline.store.write import read_current

    state = get_state(ctx)
    target = Path(path or state.store_option or "events.toml")
    init_store(target, read_current(bundled_path()) if bundled else None)
    what = "a copy of the bundled timeline" if bundled else "an empty store"
    found = path is None and state.store_option is None  # ./events.toml: found by itself
    use = "dtimeline add" if found else f"dtimeline --store {target} add"
    state.warn(f"created {target}: {what}; add events with: {use} DATE TITLE -c COUNTRY")


# --- shared --------------------------------------------------------------------------------


def _timeout(state: State) -> float:
    from dtimeline.cli.target import lock_timeout

    return lock_timeout(state)


def _write(
    state: State, change: Callable[[Store, str, str], tuple[str, object]], what: str
) -> None:
    from dtimeline.cli.target import write_target
    from dtimeline.store.declare import rewrite

    with write_target(state) as path:
        rewrite(path, change, what, _timeout(state))  # type: ignore[arg-type]


def _text(value: str | None, what: str) -> str:
    from dtimeline.interchange import clean_text

    return clean_text(value or "", what).strip()


def _aliases(values: list[str] | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a for a in (_text(v, "--alias") for v in values or ()) if a))


def _slug(text: str, what: str) -> str:
    from dtimeline.errors import InputError
    from dtimeline.rules import SLUG_RE

    if not SLUG_RE.fullmatch(text):
        raise InputError(f"bad {what} slug {text!r} (letters, digits, '.', '_', '-')")
    return text


def _code(value: str | None, size: int, option: str) -> str:
    from dtimeline.errors import InputError

    code = (value or "").strip().upper()
    if code and (len(code) != size or not code.isascii() or not code.isalpha()):
        raise InputError(f"{option} must be {size} letters (ISO 3166-1), not {value!r}")
    return code


def _check_codes(store: Store, country: Country) -> None:
    from dtimeline.errors import ConflictError

    for other in store.countries.values():
        if other.slug == country.slug:
            continue
        for key in ("iso", "iso3"):
            code = getattr(country, key)
            if code and getattr(other, key) == code:
                raise ConflictError(f"ISO code {code} is already {other.slug!r}'s")


class PlainGroup(TyperGroup):
    """A command group whose own options' help is worded as :class:`PlainCommand`'s."""

    def get_params(self, ctx: Any) -> list[Any]:
        return [plain_param(p) for p in super().get_params(ctx)]


# --- countries ------------------------------------------------------------------------------

countries_app = typer.Typer(
    name="countries",
    cls=PlainGroup,
    help="List the countries of the store, or declare one (add) or change one (edit).",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    epilog=examples(
        "dtimeline countries",
        "dtimeline countries --format json",
        "dtimeline countries add eu --name 'European Union' --alias EU",
    ),
)


@countries_app.callback(invoke_without_command=True)
def countries(ctx: typer.Context, fmt: FormatOpt = ListFormat.auto) -> None:
    """List the countries of the store (with add/edit: declare or change one)."""
    if ctx.invoked_subcommand is not None:
        return
    from dtimeline.render.entities import render_countries

    state = get_state(ctx)
    render_countries(state.store, state.console(), fmt.value)


@countries_app.command(
    "add",
    cls=PlainCommand,
    epilog=examples(
        "dtimeline countries add eu --name 'European Union' --alias EU",
        "dtimeline countries add kosovo --name Kosovo --iso XK --native Kosova",
        "dtimeline countries add russia --native Россия",
    ),
)
def countries_add(  # noqa: PLR0917
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="Short id, e.g. eu, asean.")],
    name: NameOpt = None,
    iso: IsoOpt = None,
    iso3: Iso3Opt = None,
    native: NativeOpt = None,
    alias: AliasOpt = None,
) -> None:
    """Declare a country or a party outside ISO 3166 (the EU, ASEAN, the SCO, Kosovo).

    A country of ISO 3166 (found by --iso/--iso3, else --name, else SLUG) takes its name
    and codes from the registry unless given. A SLUG or ISO code that is taken is a
    conflict (exit 5).
    """
    from dtimeline.errors import ConflictError, InputError
    from dtimeline.model import Country
    from dtimeline.store.declare import Declarations, with_declarations

    state = get_state(ctx)
    _slug(slug, "country")
    code, code3 = _code(iso, 2, "--iso"), _code(iso3, 3, "--iso3")
    given_name = _text(name, "--name")
    entry = None
    if not given_name or not (code or code3):  # by its codes, else its name, else the slug
        from dtimeline import registry

        entry = registry.lookup(code3 or code or given_name or slug)
    if not given_name and entry is None:
        raise InputError(f"{slug!r} is not a country of ISO 3166: give its name (--name NAME)")
    country = Country(
        slug,
        given_name or (entry.name if entry else ""),
        _text(native, "--native"),
        code or (entry.iso if entry and not code3 else ""),
        code3 or (entry.iso3 if entry and not code else ""),
        _aliases(alias),
    )

    def change(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        if slug in store.countries:
            raise ConflictError(
                f"country {slug!r} exists already", hint=f"dtimeline countries edit {slug} ..."
            )
        _check_codes(store, country)
        new = with_declarations(text, Declarations({slug: country}), newline)
        return new, lambda after: after.countries.get(slug) == country

    _write(state, change, f"countries add {slug}")
    state.warn(f"declared country {slug} ({country.name})")


@countries_app.command(
    "edit",
    cls=PlainCommand,
    epilog=examples(
        "dtimeline countries edit eu --native 'Union européenne'",
        "dtimeline countries edit kosovo --alias Kosova --alias Kosovë",
    ),
)
def countries_edit(  # noqa: PLR0917
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The country to change.")],
    name: NameOpt = None,
    iso: IsoOpt = None,
    iso3: Iso3Opt = None,
    native: NativeOpt = None,
    alias: AliasOpt = None,
) -> None:
    """Change a declared country (only the options given; '' empties a field). The slug
    never changes: events name the country by it."""
    from dataclasses import replace

    from dtimeline.errors import InputError
    from dtimeline.store.declare import country_fields, replaced_table

    state = get_state(ctx)
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = _text(name, "--name")
        if not fields["name"]:
            raise InputError("a country needs a name")
    if iso is not None:
        fields["iso"] = _code(iso, 2, "--iso")
    if iso3 is not None:
        fields["iso3"] = _code(iso3, 3, "--iso3")
    if native is not None:
        fields["native"] = _text(native, "--native")
    if alias is not None:
        fields["aliases"] = _aliases(alias)
    if not fields:
        raise InputError("nothing to change (give --name, --iso, --iso3, --native or --alias)")

    def change(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        del newline
        new = replace(_country(store, slug), **fields)
        _check_codes(store, new)
        edited = replaced_table(text, "countries", slug, country_fields(new), _path(state))
        return edited, lambda after: after.countries.get(slug) == new

    _write(state, change, f"countries edit {slug}")
    state.warn(f"edited country {slug}")


def _path(state: State) -> Path:
    return state.location.path


def _country(store: Store, slug: str) -> Country:
    from dtimeline.errors import NotFoundError
    from dtimeline.query import suggest

    found = store.countries.get(slug)
    if found is None:
        raise NotFoundError(
            f"no country {slug!r} in the store", hint=suggest(slug, store.countries) or None
        )
    return found


# --- actors ---------------------------------------------------------------------------------

actors_app = typer.Typer(
    name="actors",
    cls=PlainGroup,
    help="List the actors (people) of the store, or declare one (add) or change one (edit).",
    invoke_without_command=True,
    no_args_is_help=False,
    add_completion=False,
    epilog=examples(
        "dtimeline actors",
        "dtimeline actors --format plain | cut -f1",
        "dtimeline actors add 'Charles de Gaulle' --country France",
    ),
)


@actors_app.callback(invoke_without_command=True)
def actors(ctx: typer.Context, fmt: FormatOpt = ListFormat.auto) -> None:
    """List the actors (people) of the store (with add/edit: declare or change one)."""
    if ctx.invoked_subcommand is not None:
        return
    from dtimeline.render.entities import render_actors

    state = get_state(ctx)
    render_actors(state.store, state.console(), fmt.value)


CountryOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--country", "-c", metavar="COUNTRY", help="Their country (slug, name or ISO "
                 "code; any ISO 3166 country is declared on first use).", show_default=False),
]  # fmt: skip


@actors_app.command(
    "add",
    cls=PlainCommand,
    epilog=examples(
        "dtimeline actors add 'Charles de Gaulle' --country France --role 'President of France'",
        "who=$(dtimeline actors add 'Konrad Adenauer' -c Germany) && dtimeline add 1958 T"
        " -c de -c fr -a $who",
    ),
)
def actors_add(  # noqa: PLR0917
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Full name, e.g. Charles de Gaulle.")],
    country: CountryOpt = None,
    actor_id: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--id", metavar="SLUG", help="The slug (default: from the name).", show_default=False
        ),
    ] = None,
    role: RoleOpt = None,
    native: NativeOpt = None,
    alias: AliasOpt = None,
) -> None:
    """Declare a person; print their slug alone on stdout (use it with add --actor)."""
    from dtimeline import interchange as ix
    from dtimeline.errors import ConflictError, InputError
    from dtimeline.model import Actor
    from dtimeline.store.declare import Declarations, with_declarations

    state = get_state(ctx)
    full = _text(name, "the name")
    if not full:
        raise InputError("the name is empty")
    if not country:
        raise InputError("name their country (--country/-c)")
    slug = _slug(actor_id, "actor") if actor_id else ix.slugify(full)
    made: list[Actor] = []
    declared: dict[str, Country] = {}

    def change(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        if slug in store.actors:
            raise ConflictError(
                f"actor {slug!r} exists already",
                hint="give another --id, or change it: dtimeline actors edit " + slug,
            )
        res = ix.Resolver(store, registry=True)
        actor = Actor(slug, full, _text(native, "--native"), res.country(country),
                      _text(role, "--role"), _aliases(alias))  # fmt: skip
        made.append(actor)
        declared.update(res.declared)
        decl = Declarations(res.declared, {slug: actor})
        new = with_declarations(text, decl, newline)
        return new, lambda after: after.actors.get(slug) == actor

    _write(state, change, f"actors add {slug}")
    for c in declared.values():
        state.warn(f"declared country {c.slug} ({c.name})")
    state.warn(f"declared actor {slug} ({full})")
    typer.echo(slug)


@actors_app.command(
    "edit",
    cls=PlainCommand,
    epilog=examples(
        "dtimeline actors edit charles-de-gaulle --alias 'de Gaulle'",
        "dtimeline actors edit konrad-adenauer --role 'Chancellor of West Germany'",
    ),
)
def actors_edit(  # noqa: PLR0917
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(metavar="SLUG", help="The person to change.")],
    name: NameOpt = None,
    country: CountryOpt = None,
    role: RoleOpt = None,
    native: NativeOpt = None,
    alias: AliasOpt = None,
) -> None:
    """Change a declared person (only the options given; '' empties a field). The slug
    never changes: events name the person by it."""
    from dataclasses import replace

    from dtimeline import interchange as ix
    from dtimeline.errors import InputError, NotFoundError
    from dtimeline.query import suggest
    from dtimeline.store.declare import (
        Declarations,
        actor_fields,
        replaced_table,
        with_declarations,
    )

    state = get_state(ctx)
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = _text(name, "--name")
        if not fields["name"]:
            raise InputError("a person needs a name")
    if role is not None:
        fields["role"] = _text(role, "--role")
    if native is not None:
        fields["native"] = _text(native, "--native")
    if alias is not None:
        fields["aliases"] = _aliases(alias)
    if not fields and country is None:
        raise InputError("nothing to change (give --name, --country, --role, --native or --alias)")

    def change(store: Store, text: str, newline: str) -> tuple[str, Callable[[Store], bool]]:
        old = store.actors.get(slug)
        if old is None:
            raise NotFoundError(
                f"no actor {slug!r} in the store", hint=suggest(slug, store.actors) or None
            )
        res = ix.Resolver(store, registry=True)
        more: dict[str, Any] = {"country": res.country(country)} if country else {}
        new: Actor = replace(old, **fields, **more)
        edited = replaced_table(text, "actors", slug, actor_fields(new), _path(state))
        edited = with_declarations(edited, Declarations(res.declared), newline)
        return edited, lambda after: after.actors.get(slug) == new

    _write(state, change, f"actors edit {slug}")
    state.warn(f"edited actor {slug}")


# --- tags and kinds -------------------------------------------------------------------------


def tags(ctx: typer.Context, fmt: FormatOpt = ListFormat.auto) -> None:
    """List the tags the store's events use, with how many events use each."""
    from dtimeline.render.entities import render_tags

    state = get_state(ctx)
    render_tags(state.store, state.console(), fmt.value)


def kinds(ctx: typer.Context, fmt: FormatOpt = ListFormat.auto) -> None:
    """List the event kinds the store's events use, with how many events are of each."""
    from dtimeline.render.entities import render_kinds

    state = get_state(ctx)
    render_kinds(state.store, state.console(), fmt.value)


#: Real command lines for each command's --help (cli/helptext.py).
EXAMPLES = {
    "init": ("dtimeline init", "dtimeline init frde.toml", "dtimeline init mine.toml --bundled"),
    "tags": ("dtimeline tags", "dtimeline tags --format json"),
    "kinds": ("dtimeline kinds", "dtimeline --store mine.toml kinds --format plain"),
}

#: The commands of this module, by name (cli/application.py registers them).
COMMANDS: dict[str, object] = {
    "init": init, "countries": countries_app, "actors": actors_app, "tags": tags, "kinds": kinds,
}  # fmt: skip
