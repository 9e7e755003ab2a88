"""One self-contained HTML page: the events grouped by year, readable and printable.

Nothing is fetched: the CSS is inline, there is no script, and a Content-Security-Policy
(``default-src 'none'``) makes the browser refuse any load. Every data string is escaped
with ``html.escape(quote=True)``; only http(s) source URLs become links.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from itertools import groupby

from dtimeline.model import Event
from dtimeline.render.export.common import Export, is_web_url, joined, precision_note

_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9d9de;
  --accent: #8a1c1c; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 52rem; padding: 2rem 1.25rem 4rem; color: var(--ink);
  font: 16px/1.5 Georgia, "Times New Roman", serif; background: #fff;
  overflow-wrap: anywhere; }
header h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
header p { margin: 0; color: var(--muted); }
section.year { margin-top: 2rem; }
section.year > h2 { font-size: 1.3rem; border-bottom: 2px solid var(--accent);
  padding-bottom: .2rem; margin: 0 0 .75rem; }
ol.events { list-style: none; margin: 0; padding: 0; }
li.event { display: grid; grid-template-columns: 9.5rem 1fr; gap: .25rem 1rem;
  padding: .6rem 0; border-bottom: 1px solid var(--rule); break-inside: avoid; }
li.event > * { min-width: 0; }
li.event time { color: var(--muted); font-variant-numeric: tabular-nums; }
li.event h3 { font-size: 1.05rem; margin: 0; }
li.event .meta, li.event .note { color: var(--muted); font-size: .9rem; margin: .1rem 0; }
li.event p.summary { margin: .3rem 0; }
li.event ul.sources { margin: .3rem 0 0; padding-left: 1.1rem; font-size: .85rem; }
.status { display: inline-block; font: bold .75rem/1.4 sans-serif; text-transform: uppercase;
  letter-spacing: .04em; padding: 0 .35rem; border: 1px solid currentColor;
  border-radius: 3px; margin-left: .4rem; vertical-align: middle; }
.status-announced, .status-postponed { color: #7a5b00; }
.status-cancelled { color: var(--accent); }
li.status-cancelled h3 { text-decoration: line-through; }
a { color: #1a4d8f; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 36rem) { li.event { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  section.year > h2 { break-after: avoid; }
  li.event { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  a[href]::after { content: " (" attr(href) ")"; font-size: .8em; word-break: break-all; }
}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def _e(value: str) -> str:
    return escape(value, quote=True)


def event_item(ev: Event, data: Export) -> str:
    status = data.status(ev)
    when = ev.date.start.iso()
    parts = [
        f'<li class="event status-{_e(status)}" id="{_e(ev.id)}">',
        f'<time datetime="{_e(when)}">{_e(ev.date.human())}</time>',
        "<div>",
    ]
    badge = f' <span class="status status-{_e(status)}">{_e(status)}</span>'
    parts.append(f"<h3>{_e(ev.title)}{badge if status != 'held' else ''}</h3>")
    meta = [ev.kind.replace("-", " ")]
    if ev.place:
        meta.append(ev.place)
    meta.append(", ".join(data.country_name(c) for c in ev.countries))
    if ev.actors:
        meta.append(", ".join(data.actor_name(a) for a in ev.actors))
    parts.append(f'<p class="meta">{" · ".join(_e(m) for m in meta if m)}</p>')
    note = precision_note(ev)
    if note:
        parts.append(f'<p class="note">{_e(note.capitalize())}</p>')
    if ev.summary:
        parts.append(f'<p class="summary">{_e(ev.summary)}</p>')
    if ev.sources:
        items = []
        for src in ev.sources:
            label = _e(src.label())
            if src.url and is_web_url(src.url):
                label = f'<a href="{_e(src.url)}" rel="noopener noreferrer">{label}</a>'
            elif src.url and src.label() != src.url:
                label += f" ({_e(src.url)})"
            items.append(f"<li>{label}</li>")
        parts.append('<ul class="sources">' + "".join(items) + "</ul>")
    if ev.tags:
        parts.append(f'<p class="meta">Tags: {_e(", ".join(ev.tags))}</p>')
    parts += ["</div>", "</li>"]
    return "".join(parts)


def render(data: Export) -> Iterator[str]:
    """The page, piece by piece."""
    return joined(_lines(data))


def _lines(data: Export) -> Iterator[str]:
    yield from [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(_CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="dtimeline">',
        f"<title>{_e(data.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<header><h1>{_e(data.title)}</h1><p>{_e(data.subtitle)}</p></header>",
        "<main>",
    ]
    for year, in_year in groupby(data.events, key=lambda ev: ev.date.earliest.year):
        yield f'<section class="year" id="y{year:04d}"><h2>{year:04d}</h2>'
        yield '<ol class="events">'
        for ev in in_year:
            yield event_item(ev, data)
        yield "</ol></section>"
    if not data.events:
        yield "<p>No events.</p>"
    yield from [
        "</main>",
        "<footer>Exported by dtimeline. Dates are shown at the precision the sources give."
        "</footer>",
        "</body>",
        "</html>",
    ]
