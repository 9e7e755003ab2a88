"""Merge-driver edge cases found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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


def event_text(event_id: str) -> str:
    return (
        f'[[events]]\nid = "{event_id}"\ndate = "2020"\nkind = "other"\n'
        f'title = "{event_id.upper()}"\ncountries = ["china"]\n'
    )


def test_an_event_appended_after_one_removed_follows_a_blank_line(tmp_path: Path) -> None:
    """Ours has its events without blank lines between them; theirs removes the last one
    and adds another: the added event is written after a blank line."""
    base = HEAD + "\n" + event_text("a") + event_text("b")
    theirs = HEAD + "\n" + event_text("a") + "\n" + event_text("c")
    code, merged, err = merge_files(tmp_path, base, base, theirs)
    assert (code, err) == (0, "")
    assert merged == HEAD + "\n" + event_text("a") + "\n" + event_text("c")


def test_declarations_changed_on_both_sides_merge_without_a_fallback(tmp_path: Path) -> None:
    """Ours adds a key to one country, theirs renames another: merged by field, in ours's
    text, with nothing said (no line-by-line fallback)."""
    base = HEAD + "\n" + event_text("a")
    ours = base.replace('name = "China"\n', 'name = "China"  # short form\niso = "CN"\n')
    theirs = base.replace('name = "Kazakhstan"', 'name = "Qazaqstan"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert (code, err) == (0, "")
    assert merged == ours.replace('name = "Kazakhstan"', 'name = "Qazaqstan"')


def test_a_conflict_in_the_kinds_is_marked_around_the_kinds_table(tmp_path: Path) -> None:
    kinds = '[kinds]\nforum = "A multilateral forum"\nexpo = "A trade fair"\n'
    base = HEAD + "\n" + kinds + "\n" + event_text("a")
    ours = base.replace("A trade fair", "A trade exhibition").replace(
        'name = "China"', 'name = "PRC"'
    )
    theirs = base.replace("A trade fair", "An expo")
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 1
    assert err == (
        "dtimeline: events.toml: conflict: the store's 'kinds': "
        "expo changed differently on both sides\n"
    )
    assert merged == HEAD.replace('name = "China"', 'name = "PRC"') + (
        "\n<<<<<<< ours\n"
        + kinds.replace("A trade fair", "A trade exhibition")
        + "=======\n"
        + kinds.replace("A trade fair", "An expo")
        + ">>>>>>> theirs\n\n"
        + event_text("a")
    )


def test_a_declaration_conflict_names_only_the_keys_that_differ(tmp_path: Path) -> None:
    """Both sides keep the country's other keys as they were: only ``name`` is named."""
    base = HEAD.replace('name = "China"\n', 'name = "China"\niso = "CN"\nnative = "中国"\n')
    base += "\n" + event_text("a")
    code, _, err = merge_files(
        tmp_path,
        base,
        base.replace('"China"', '"PRC"'),
        base.replace('"China"', '"China (PRC)"'),
    )
    assert code == 1
    assert err == (
        "dtimeline: events.toml: conflict: country 'china': "
        "name changed differently on both sides\n"
    )


# A store with no events yet, whose file does not end with a line break (as some editors
# save it): a conflict in its last table, or after it, still gets markers on lines of their own.
NO_EVENTS_UNENDED = 'schema = 1\n\n[countries.china]\nname = "China"'


def test_a_removed_declaration_at_an_unended_file_is_marked_on_its_own_lines(
    tmp_path: Path,
) -> None:
    theirs = HEAD.replace('name = "Kazakhstan"', 'name = "Qazaqstan"')
    code, merged, err = merge_files(tmp_path, HEAD, NO_EVENTS_UNENDED, theirs)
    assert code == 1
    assert err == (
        "dtimeline: events.toml: conflict: country 'kazakhstan': removed here, changed there\n"
    )
    assert merged == (
        NO_EVENTS_UNENDED
        + '\n<<<<<<< ours\n=======\n[countries.kazakhstan]\nname = "Qazaqstan"\n'
        + ">>>>>>> theirs\n\n"
    )


def test_a_conflict_in_the_last_table_of_an_unended_file(tmp_path: Path) -> None:
    ours = HEAD.replace('name = "Kazakhstan"\n', 'name = "Qazaqstan"')
    theirs = HEAD.replace('name = "Kazakhstan"', 'name = "Kazakh SSR"')
    code, merged, err = merge_files(tmp_path, HEAD, ours, theirs)
    assert code == 1
    assert err == (
        "dtimeline: events.toml: conflict: country 'kazakhstan': "
        "name changed differently on both sides\n"
    )
    assert merged == (
        'schema = 1\n\n[countries.china]\nname = "China"\n\n'
        '<<<<<<< ours\n[countries.kazakhstan]\nname = "Qazaqstan"\n'
        '=======\n[countries.kazakhstan]\nname = "Kazakh SSR"\n>>>>>>> theirs\n'
    )


def test_an_unended_last_event_gets_the_files_line_break(tmp_path: Path) -> None:
    """Ours changed its last event and saved it with no final line break; theirs adds an
    event after it: the line break written between them is the file's own (LF, or CRLF in
    a CRLF file)."""
    for newline in ("\n", "\r\n"):
        base = (HEAD + "\n" + event_text("a")).replace("\n", newline)
        ours = base.replace('title = "A"', 'title = "Ours A"').removesuffix(newline)
        theirs = base + newline + event_text("b").replace("\n", newline)
        code, _, err = merge_files(tmp_path, base, ours, theirs)
        assert (code, err) == (0, "")
        merged = (tmp_path / "ours.toml").read_bytes().decode("utf-8")
        assert merged == theirs.replace('title = "A"', 'title = "Ours A"')


def test_a_country_merged_by_field_keeps_the_comments_in_its_table(tmp_path: Path) -> None:
    """Both sides change the same country in different keys: the table is changed key by
    key, so ours's comments inside it stay."""
    base = HEAD + "\n" + event_text("a")
    ours = base.replace('name = "China"\n', '# the short name\nname = "China"  # as in 1992\n')
    theirs = base.replace('name = "China"\n', 'name = "China"\niso = "CN"\n')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert (code, err) == (0, "")
    assert merged == ours.replace("# as in 1992\n", '# as in 1992\niso = "CN"\n')


def test_a_declaration_after_an_event_falls_back_to_a_line_merge_saying_why(
    tmp_path: Path,
) -> None:
    """A country declared below an event cannot be cut into event tables: git's line merge
    is used instead, and the message says why."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge fallback runs git merge-file")
    base = HEAD + BASE_EVENT + '\n[countries.tajikistan]\nname = "Tajikistan"\n'
    ours = base.replace('title = "A"', 'title = "B"')
    theirs = base.replace('countries = ["china"]', 'countries = ["china"]\nplace = "Astana"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 0
    assert err == (
        "dtimeline: events.toml: cannot merge by event (an [[events]] table is followed by"
        " another kind of table); merging line by line instead\n"
    )
    assert merged == ours.replace(
        'countries = ["china"]', 'countries = ["china"]\nplace = "Astana"'
    )


def test_a_key_removed_there_is_removed_from_our_text_keeping_its_comments(
    tmp_path: Path,
) -> None:
    base = HEAD + BASE_EVENT.replace('title = "A"', 'title = "A"\nplace = "Astana"')
    ours = base.replace('title = "A"', '# renamed after the communique\ntitle = "B"  # sic')
    theirs = base.replace('place = "Astana"\n', "")
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert (code, err) == (0, "")
    assert merged == ours.replace('place = "Astana"\n', "")


def test_two_events_under_one_header_fall_back_to_a_line_merge(tmp_path: Path) -> None:
    """A second event written with a quoted header (``[["events"]]``, valid TOML) is not
    seen as a cut: when both sides change the first one, the merge falls back."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge fallback runs git merge-file")
    second = '[["events"]]\nid = "b"\ndate = "2021"\nkind = "other"\ntitle = "B"\n'
    second += 'countries = ["china"]\n'
    base = HEAD + BASE_EVENT + second
    ours = base.replace('title = "A"', 'title = "Ours A"')
    theirs = base.replace('date = "2020"', 'date = "2019"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 0
    assert err == (
        "dtimeline: events.toml: cannot merge by event (an [[events]] table is followed by"
        " another kind of table); merging line by line instead\n"
    )
    assert merged == ours.replace('date = "2020"', 'date = "2019"')


def test_a_header_line_inside_a_summary_falls_back_to_a_line_merge(tmp_path: Path) -> None:
    """A multi-line summary holding a line ``[[events]]`` cuts the text wrongly: the piece
    after it does not parse alone, and the merge falls back (no crash)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the line merge fallback runs git merge-file")
    base = HEAD + BASE_EVENT + 'summary = """Quoted:\n[[events]]\nend."""\n'
    ours = base.replace('title = "A"', 'title = "Ours A"')
    theirs = base.replace('date = "2020"', 'date = "2019"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 0
    assert err.startswith("dtimeline: events.toml: cannot merge by event (an event's table")
    assert err.endswith("); merging line by line instead\n")
    assert len(err.splitlines()) == 1
    assert merged == ours.replace('date = "2020"', 'date = "2019"')


def test_a_conflict_in_the_first_of_three_tables_marks_that_table_only(tmp_path: Path) -> None:
    head = HEAD + '\n[countries.tajikistan]\nname = "Tajikistan"\n'
    base = head + BASE_EVENT
    ours = base.replace('name = "China"', 'name = "PRC"')
    theirs = base.replace('name = "China"', 'name = "China (PRC)"')
    code, merged, err = merge_files(tmp_path, base, ours, theirs)
    assert code == 1
    assert err == (
        "dtimeline: events.toml: conflict: country 'china': "
        "name changed differently on both sides\n"
    )
    assert merged == (
        'schema = 1\n\n<<<<<<< ours\n[countries.china]\nname = "PRC"\n'
        '=======\n[countries.china]\nname = "China (PRC)"\n>>>>>>> theirs\n'
        '\n[countries.kazakhstan]\nname = "Kazakhstan"\n'
        '\n[countries.tajikistan]\nname = "Tajikistan"\n' + BASE_EVENT
    )
