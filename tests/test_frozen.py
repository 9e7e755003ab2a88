"""The domain classes behave as frozen dataclasses (dtimeline/frozen.py): immutable, equal by
value, hashable, replaceable, picklable, and their __init__ stores every declared field."""

from __future__ import annotations

import dataclasses
import functools
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtimeline.dates import DatePoint, EDate, parse_edtf
from dtimeline.errors import DateError
from dtimeline.model import Actor, Country, Event, Source, Store

text = st.text(max_size=8)
words = st.lists(text, max_size=3).map(tuple)
sources = st.builds(Source, text, text, text, text, text)
edates = st.sampled_from(["1992", "2013-09", "2023-05-17", "2024-07-02/2024-07-04", "2013~"]).map(
    parse_edtf
)
events = st.builds(
    Event,
    id=text,
    date=edates,
    kind=text,
    title=text,
    countries=words,
    actors=words,
    host=text,
    place=text,
    status=text,
    announced=st.none() | edates,
    level=text,
    tags=words,
    summary=text,
    sources=st.lists(sources, max_size=2).map(tuple),
)
CLASSES = [Source, Country, Actor, Event, Store, DatePoint, EDate]


@functools.cache
def reference_class(cls: type) -> Any:
    names = [f.name for f in dataclasses.fields(cls)]
    return dataclasses.make_dataclass(cls.__name__, names, frozen=True)


def reference(obj: Any) -> Any:
    """The same values in a real ``@dataclass(frozen=True)`` of the same fields."""
    ref = reference_class(type(obj))
    return ref(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(ref)})


@pytest.mark.parametrize("cls", CLASSES)
def test_init_stores_every_declared_field_in_order(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    sample = {
        Source: lambda: Source("p", "t", "u", "2023", "n"),
        Country: lambda: Country("kz", "Kazakhstan", "Qazaqstan", "KZ", "KAZ", ("KZ",)),
        Actor: lambda: Actor("xi", "Xi Jinping", "习近平", "china", "President", ("Xi",)),
        Store: Store,
        DatePoint: lambda: DatePoint(2023, 5, 17, True, False),
        EDate: lambda: parse_edtf("2024-07-02/2024-07-04"),
        Event: lambda: Event("e", parse_edtf("2023"), "talks", "T", ("china",)),
    }[cls]()
    assert list(vars(sample)) == names


@given(events, events)
def test_events_compare_hash_and_print_as_frozen_dataclasses(a: Event, b: Event) -> None:
    assert (a == b) == (reference(a) == reference(b))
    assert a == dataclasses.replace(a)
    assert hash(a) == hash(dataclasses.replace(a))
    assert repr(a) == repr(reference(a))
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != reference(a)  # another class is never equal


@given(events)
def test_events_cannot_be_changed(ev: Event) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        ev.title = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del ev.title
    changed = dataclasses.replace(ev, title="changed")
    assert changed.title == "changed"
    assert dataclasses.replace(changed, title=ev.title) == ev


def test_no_class_has_pickling_hooks_yet_pickle_works() -> None:
    from datetime import date

    from dtimeline.frozen import Frozen
    from dtimeline.query import Filter

    samples = [
        Source("p", "t", "u", "2023", "n"),
        Country("kz", "Kazakhstan", "Qazaqstan", "KZ", "KAZ", ("KZ",)),
        Actor("xi", "Xi Jinping", "习近平", "china", "President", ("Xi",)),
        Store(countries={"kz": Country("kz", "Kazakhstan")}),
        parse_edtf("2024-07-02/2024-07-04~"),
        Event("e", parse_edtf("2023"), "talks", "T", ("china",), sources=(Source("p"),)),
        Filter(as_of=date(2024, 1, 1), countries=("kz",), since=date(2023, 1, 1)),
    ]
    for name in ("__reduce__", "__reduce_ex__", "__getstate__", "__setstate__"):
        assert name not in vars(Frozen)
    for obj in samples:
        for name in ("__reduce__", "__reduce_ex__", "__getstate__", "__setstate__"):
            assert name not in vars(type(obj)), (type(obj), name)
        back = pickle.loads(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == obj and list(vars(back)) == list(vars(obj))


def test_store_defaults_are_fresh_and_dates_are_checked_on_replace() -> None:
    one, two = Store(), Store()
    assert one == two and one.countries is not two.countries
    point = DatePoint(2023, 2, 28)
    with pytest.raises(DateError, match="does not exist"):
        dataclasses.replace(point, day=30)
    with pytest.raises(DateError, match="ends before it starts"):
        EDate(DatePoint(2024, 7, 4), DatePoint(2024, 7, 2))
