"""Random sequences of add / edit / remove / undo against a model kept in memory.

After every step the store on disk must hold exactly the model's events, in order, and
pass `check` (issue 7). Runs on the core write functions the CLI commands call."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from dtimeline.dates import parse_edtf
from dtimeline.errors import ConflictError
from dtimeline.model import Event, Source, Store
from dtimeline.serialize import event_to_dict
from dtimeline.store import check_store, load_store
from dtimeline.store.index import open_index
from dtimeline.store.memo import reset
from dtimeline.store.select import json_texts
from dtimeline.store.write import (
    append_events,
    append_on_view,
    remove_events,
    rewrite_event,
    undo_last,
)

HEAD = """schema = 1
# a comment that must survive every step

[countries.china]
name = "China"

[countries.kazakhstan]
name = "Kazakhstan"
"""

texts = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
)
titles = texts.filter(lambda t: t.strip() != "")
dates = st.sampled_from(["1992", "2013-09", "2023-05-17", "2024-07-02/2024-07-04", "2013-09~"])


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="dtimeline-model-"))
        self.path = self.folder / "events.toml"
        self.path.write_text(HEAD, encoding="utf-8")
        self.model: list[dict[str, Any]] = []
        self.undo_stack: list[list[dict[str, Any]]] = []
        self.counter = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _push(self) -> None:
        self.undo_stack.append([dict(e) for e in self.model])

    @rule(title=titles, summary=texts, when=dates)
    def add(self, title: str, summary: str, when: str) -> None:
        self.counter += 1
        ev = Event(
            id=f"e{self.counter}", date=parse_edtf(when), kind="talks", title=title,
            countries=("china", "kazakhstan"), summary=summary,
            sources=(Source(publisher="Somebody"),),
        )  # fmt: skip

        def build(store: Store) -> list[Event]:
            del store
            return [ev]

        self._push()
        append_events(self.path, build, lambda evs: "add", 5)
        self.model.append(event_to_dict(ev))

    @rule(title=titles, when=dates, new_process=st.booleans())
    def add_on_view(self, title: str, when: str, new_process: bool) -> None:
        """`add`'s own path: on the store's index, without building its events."""
        self.counter += 1
        ev = Event(id=f"e{self.counter}", date=parse_edtf(when), kind="talks", title=title,
                   countries=("china",), sources=(Source(publisher="Somebody"),))  # fmt: skip
        if new_process:
            forget_process_state()
        self._push()
        append_on_view(self.path, lambda view: [ev], lambda evs: "add", 5)
        self.model.append(event_to_dict(ev))

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), title=titles, summary=texts)
    def edit(self, data: st.DataObject, title: str, summary: str) -> None:
        index = data.draw(st.integers(0, len(self.model) - 1))
        target = self.model[index]["id"]

        def change(store: Store, ev: Event) -> Event:
            del store
            return replace(ev, title=title, summary=summary)

        self._push()
        _, after, _ = rewrite_event(self.path, target, change, "edit", 5)
        self.model[index] = event_to_dict(after)

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def remove(self, data: st.DataObject) -> None:
        index = data.draw(st.integers(0, len(self.model) - 1))
        self._push()
        remove_events(self.path, [self.model[index]["id"]], "remove", 5)
        del self.model[index]

    @rule()
    def undo(self) -> None:
        if not self.undo_stack:
            try:
                undo_last(self.path, 5)
            except ConflictError:
                return
            raise AssertionError("undo with an empty history should refuse")
        undo_last(self.path, 5)
        self.model = self.undo_stack.pop()

    @invariant()
    def store_matches_model(self) -> None:
        store = load_store(self.path)
        assert [event_to_dict(e) for e in store.events] == self.model
        forget_process_state()  # and what the cache on disk says, as a new process reads it
        fresh = load_store(self.path)
        assert [event_to_dict(e) for e in fresh.events] == self.model
        # and the JSON `query` prints: the texts the index keeps must follow every step
        texts = json_texts(open_index(self.path), list(fresh.events))
        assert [json.loads(texts[e.id]) for e in fresh.events] == self.model
        assert check_store(self.path) == []
        assert self.path.read_text(encoding="utf-8").startswith(HEAD)


def forget_process_state() -> None:
    reset()


StoreMachine.TestCase.settings = settings(max_examples=40, stateful_step_count=12, deadline=None)
TestStoreMachine = StoreMachine.TestCase
