"""Merge-driver edge cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

from pathlib import Path

from test_merge import HEAD, merge_files

BASE_EVENT = (
    '\n[[events]]\nid = "a"\ndate = "2020"\nkind = "other"\ntitle = "A"\ncountries = ["china"]\n'
)


def test_the_same_change_written_differently_keeps_our_text(tmp_path: Path) -> None:
    """Both sides set the same title; ours also added a comment: ours's text stands."""
    base = HEAD + BASE_EVENT
    ours = HEAD + BASE_EVENT.replace('title = "A"', 'title = "B"  # renamed')
    theirs = HEAD + BASE_EVENT.replace('title = "A"', 'title = "B"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert (code, err) == (0, "")
    assert merged == ours
