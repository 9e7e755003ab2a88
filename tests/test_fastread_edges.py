"""The fast reader of event tables (store/fastread.py) declines what is not its layout:
cases found by mutation testing (docs/mutation.md), each a text tomli refuses or reads as
something else."""

from __future__ import annotations

import pytest
import tomli

from dtimeline.store.fastread import event_tables


@pytest.mark.parametrize(
    "line",
    [
        'tags = ["]',
        'tags = [x"]',
        'tags = ["x]',
        "tags = [x]",
        'tags = [", "x]',
        'tags = ("a")',
        'tags = ["a"}',
        'title = x"',
        'title = ab"',
    ],
)
def test_a_value_not_a_string_or_an_array_of_whole_strings_is_declined(line: str) -> None:
    text = f'[[events]]\nid = "a"\n{line}\n'
    with pytest.raises(tomli.TOMLDecodeError):
        tomli.loads(text)
    assert event_tables(text) is None


def test_a_key_before_the_first_table_is_declined() -> None:
    """A key above every ``[[events]]`` line belongs to the document, not to an event."""
    text = 'id = "a"\n[[events]]\nid = "b"\n'
    assert tomli.loads(text) == {"id": "a", "events": [{"id": "b"}]}
    assert event_tables(text) is None
