"""The words of written dates: month and weekday names (English, Russian, Kazakh), year
words (``года``, ``жылы``), ``circa`` words and the Chinese date markers (``年 月 日``).

Plain tables, looked up in lower case after Unicode NFKC normalisation. Only
:mod:`dtimeline.datereader` imports this module, and only for input that holds a letter:
an ISO or EDTF date never loads it.

Why our own tables and not a multilingual date library: the one that fits (dateparser 1.5)
answers ``2-4 July 2024`` with 2 July, ``05/07/2023`` with 7 May and ``2 июля`` with this
year's 2 July, each without a word. Those silent answers are what dtimeline refuses, so every
answer would have to be re-checked by our own reading anyway; the names themselves are a few
dozen words. Sources: the CLDR month and day names for ``en``, ``ru`` and ``kk``, and the
usual news-style abbreviations (``Sept.``, ``сент.``).
"""

from __future__ import annotations

_EN_MONTHS = (
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
    ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
    ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
    ("december", "dec"),
)  # fmt: skip
#: Russian: nominative (``июль 2024``), genitive (``2 июля``), prepositional (``в июле``),
#: and the abbreviations newspapers use.
_RU_MONTHS = (
    ("январь", "января", "январе", "янв"),
    ("февраль", "февраля", "феврале", "фев", "февр"),
    ("март", "марта", "марте", "мар"),
    ("апрель", "апреля", "апреле", "апр"),
    ("май", "мая", "мае"),
    ("июнь", "июня", "июне", "июн"),
    ("июль", "июля", "июле", "июл"),
    ("август", "августа", "августе", "авг"),
    ("сентябрь", "сентября", "сентябре", "сен", "сент"),
    ("октябрь", "октября", "октябре", "окт"),
    ("ноябрь", "ноября", "ноябре", "ноя", "нояб"),
    ("декабрь", "декабря", "декабре", "дек"),
)
#: Kazakh (Cyrillic), with the locative (``шілдеде``) and genitive (``шілденің``) forms.
_KK_MONTHS = (
    ("қаңтар", "қаңтарда", "қаңтардың"),
    ("ақпан", "ақпанда", "ақпанның"),
    ("наурыз", "наурызда", "наурыздың"),
    ("сәуір", "сәуірде", "сәуірдің"),
    ("мамыр", "мамырда", "мамырдың"),
    ("маусым", "маусымда", "маусымның"),
    ("шілде", "шілдеде", "шілденің"),
    ("тамыз", "тамызда", "тамыздың"),
    ("қыркүйек", "қыркүйекте", "қыркүйектің"),
    ("қазан", "қазанда", "қазанның"),
    ("қараша", "қарашада", "қарашаның"),
    ("желтоқсан", "желтоқсанда", "желтоқсанның"),
)

MONTHS: dict[str, int] = {
    word: number
    for table in (_EN_MONTHS, _RU_MONTHS, _KK_MONTHS)
    for number, words in enumerate(table, 1)
    for word in words
}

_EN_WEEKDAYS = (
    ("monday", "mon"), ("tuesday", "tue", "tues"), ("wednesday", "wed"),
    ("thursday", "thu", "thur", "thurs"), ("friday", "fri"), ("saturday", "sat"),
    ("sunday", "sun"),
)  # fmt: skip
_RU_WEEKDAYS = (
    ("понедельник", "пн"), ("вторник", "вт"), ("среда", "ср"), ("четверг", "чт"),
    ("пятница", "пт"), ("суббота", "сб"), ("воскресенье", "вс"),
)  # fmt: skip

#: Weekday names to ``date.weekday()`` numbers (Monday 0).
WEEKDAYS: dict[str, int] = {
    word: number
    for table in (_EN_WEEKDAYS, _RU_WEEKDAYS)
    for number, words in enumerate(table)
    for word in words
}
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Words after a year that say "year": ``2 июля 2024 года``, ``2024 жылғы``, ``2024 г.``.
YEAR_WORDS = frozenset({"года", "год", "году", "г", "гг", "жыл", "жылы", "жылғы", "ж", "жж"})

#: Words before a date that make it approximate (EDTF ``~``).
CIRCA_WORDS = frozenset({"c", "ca", "circa", "approx", "около", "ок", "шамамен", "约"})

#: Words that may stand between a day and its month, and are dropped: ``2nd of July``.
FILLER_WORDS = frozenset({"of", "the"})

#: Words that may stand before a month name, and are dropped: ``в июле 2024`` (in July).
BEFORE_MONTH = frozenset({"в", "во"})

#: A range's words (``2 to 4 July``, ``2024年7月2日至4日``, ``с 2 по 4 июля``) are read by
#: the range split of :mod:`dtimeline.datereader` itself, before any word is looked up.

#: Chinese (and Japanese) markers: the number before each is a year, month or day.
CJK_MARKERS = {"年": "year", "月": "month", "日": "day", "号": "day"}

#: EDTF seasons (level 1: ``2013-21`` spring ... ``2013-24`` winter): refused, named here.
SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter", "весна", "лето", "осень",
                     "зима", "көктем", "жаз", "күз", "қыс", "春", "夏", "秋", "冬"})  # fmt: skip

#: Ordinal endings after a day number: ``2nd July``, ``July 2nd``.
ORDINAL_ENDINGS = ("st", "nd", "rd", "th")
