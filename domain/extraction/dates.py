"""When a claim was voiced: dates in the text resolved against the publication date, or a
window where the text only bounds it ('fin octobre', 'last week')."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from domain.events import DateWindow
from domain.extraction.lexicon import Lexicon, lexicon, words
from domain.extraction.speakers import trimmed


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date named in the text: the day meant and, when only bounded, the window."""

    start: int
    end: int
    on: date
    window: DateWindow | None


@dataclass(frozen=True)
class _Patterns:
    numeric: re.Pattern[str]
    pair: re.Pattern[str]
    month_first: re.Pattern[str]
    part: re.Pattern[str]
    month: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]
    same_year: re.Pattern[str]


@cache
def _patterns(language: str) -> _Patterns:
    w = lexicon(language).dates
    short = "|".join(rf"(?:{forms})\." for forms in w.month_abbreviations)
    months, days = "|".join((*w.months, short)), "|".join(w.weekdays)
    # Next to its day, an abbreviated month needs no full stop ('Nov 20', '20 Nov').
    with_day = "|".join((*w.months, *(rf"(?:{forms})\.?" for forms in w.month_abbreviations)))
    rel = w.relative
    day, year = r"(\d{1,2})", r"(\d{4})"
    weekday = rf"(?:(?:{days}),? )?"
    return _Patterns(
        numeric=words(
            rf"{weekday}(?:le |du |the )?{day}(?:er|st|nd|rd|th)? (?:of )?({with_day})"
            rf"(?:,? {year})?|{year}-(\d\d)-(\d\d)"
        ),
        pair=words(rf"{day}(?: {rel['day_and']} |, | - |-){day} ({months})(?: {year})?"),
        month_first=words(rf"{weekday}({with_day}) {day}(?:st|nd|rd|th)?(?:,? {year})?"),
        part=words(
            rf"({rel['early']}|{rel['mid']}|{rel['late']}) ?"
            rf"(?:(?:de |d')?({months})(?: {year})?|{year})"
        ),
        month=words(
            rf"(?:en |in |au mois de |de )?({months})(?: (?:de |of )?{year})?|(?:en|in) {year}"
        ),
        weekday=words(
            rf"(?:(?:{rel['this']}|(?P<last>last|dernier)) )?(?P<day>{days})"
            r"(?: (?P<after>dernier))?"
        ),
        relative=words(
            "|".join(
                f"(?P<{k}>{rel[k]})"
                for k in (
                    "day_before_yesterday",
                    "days_ago",
                    "yesterday",
                    "today",
                    "last_week",
                    "earlier_this_week",
                    "this_week",
                    "this_month",
                    "weekend",
                    "last_month",
                )
            )
        ),
        same_year=words(rel["same_year"]),
    )


def date_mentions(
    folded: str, start: int, end: int, lex: Lexicon, published: date
) -> list[DateMention]:
    """The dates named in a span, resolved against the publication date; dates that open
    a period ('depuis', 'since') are left out."""
    p = _patterns(lex.language)
    taken: list[DateMention] = []
    skipped: list[DateMention] = []
    year_hint = _year_hint(folded, start, end) if p.same_year.search(folded, start, end) else None
    for finder in (_pairs, _numeric, _month_first, _parts, _months, _weekdays, _relatives):
        try:
            mentions = finder(p, folded, start, end, lex, published, year_hint)
        except (OverflowError, ValueError):
            # A date counted from a publication date near the calendar's ends, or a year
            # the calendar lacks: no reading of this kind in the span rather than a failure.
            continue
        for mention in mentions:
            if any(m.start < mention.end and mention.start < m.end for m in taken + skipped):
                continue
            if lex.since.search(
                folded, max(start, mention.start - 20), trimmed(folded, mention.start)
            ):
                skipped.append(mention)
                continue
            taken.append(mention)
    return sorted((m for m in taken if m not in skipped), key=lambda m: m.start)


def _year_hint(folded: str, start: int, end: int) -> int | None:
    years = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", folded[start:end])
    return int(years[0]) if years else None


def _year(month: int, day: int, published: date, explicit: str | None, hint: int | None) -> int:
    if explicit:
        return int(explicit)
    if hint is not None:
        return hint
    year = published.year
    return year if (month, day) <= (published.month, published.day + 7) else year - 1


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(lex: Lexicon, name: str) -> int:
    words = lex.dates
    if name in words.months:
        return words.months.index(name) + 1
    short = name.rstrip(".")
    return next(
        number
        for number, forms in enumerate(words.month_abbreviations, start=1)
        if short in forms.split("|")
    )


def _numeric(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    for m in p.numeric.finditer(folded, start, end):
        if m.group(4):
            day = _day(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        else:
            month = _month_number(lex, m.group(2))
            year = _year(month, int(m.group(1)), published, m.group(3), None)
            day = _day(year, month, int(m.group(1)))
        if day is not None:
            found.append(DateMention(m.start(), m.end(), day, None))
    return found


def _month_first(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    for m in p.month_first.finditer(folded, start, end):
        month = _month_number(lex, m.group(1))
        day = _day(
            _year(month, int(m.group(2)), published, m.group(3), None), month, int(m.group(2))
        )
        if day is not None:
            found.append(DateMention(m.start(), m.end(), day, None))
    return found


def _pairs(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    for m in p.pair.finditer(folded, start, end):
        month = _month_number(lex, m.group(3))
        year = _year(month, int(m.group(2)), published, m.group(4), None)
        first, last = _day(year, month, int(m.group(1))), _day(year, month, int(m.group(2)))
        if first is not None and last is not None and first <= last:
            found.append(DateMention(m.start(), m.end(), last, DateWindow(first, last)))
    return found


def _parts(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    rel = lex.dates.relative
    for m in p.part.finditer(folded, start, end):
        which = (
            0
            if re.fullmatch(rel["early"], m.group(1))
            else 1
            if re.fullmatch(rel["mid"], m.group(1))
            else 2
        )
        if m.group(4):
            year = int(m.group(4))
            bounds = ((1, 1), (4, 30)), ((5, 1), (8, 31)), ((9, 1), (12, 31))
            (m1, d1), (m2, d2) = bounds[which]
            window = DateWindow(date(year, m1, d1), date(year, m2, d2))
        else:
            month = _month_number(lex, m.group(2))
            year = _year(month, 1, published, m.group(3), hint)
            last = calendar.monthrange(year, month)[1]
            days = ((1, 10), (10, 20), (20, last))[which]
            window = DateWindow(date(year, month, days[0]), date(year, month, days[1]))
        middle = window.start + (window.end - window.start) / 2
        found.append(DateMention(m.start(), m.end(), middle, window))
    return found


def _months(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    for m in p.month.finditer(folded, start, end):
        if m.group(3):
            year = int(m.group(3))
            window = DateWindow(date(year, 1, 1), date(year, 12, 31))
        else:
            month = _month_number(lex, m.group(1))
            explicit = m.group(2)
            year = _year(month, 1, published, explicit, hint)
            window = DateWindow(
                date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
            )
        middle = window.start + (window.end - window.start) / 2
        found.append(DateMention(m.start(), m.end(), middle, window))
    return found


def _weekdays(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    for m in p.weekday.finditer(folded, start, end):
        weekday = lex.dates.weekdays.index(m.group("day"))
        back = (published.weekday() - weekday) % 7
        if back == 0 and (m.group("last") or m.group("after")):
            back = 7  # 'last Thursday', 'jeudi dernier' said on a Thursday: a week before
        found.append(DateMention(m.start(), m.end(), published - timedelta(days=back), None))
    return found


def _relatives(
    p: _Patterns, folded: str, start: int, end: int, lex: Lexicon, published: date, hint: int | None
) -> list[DateMention]:
    found = []
    monday = published - timedelta(days=published.weekday())
    for m in p.relative.finditer(folded, start, end):
        if m.group("day_before_yesterday"):
            found.append(DateMention(m.start(), m.end(), published - timedelta(days=2), None))
        elif m.group("days_ago"):
            days = _count(m.group("days_ago"))
            on = published - timedelta(days=days or 3)
            window = None if days else DateWindow(published - timedelta(days=6), published)
            found.append(DateMention(m.start(), m.end(), on, window))
        elif m.group("weekend"):
            sunday = published - timedelta(days=(published.weekday() + 1) % 7)
            window = DateWindow(sunday - timedelta(days=1), sunday)
            found.append(DateMention(m.start(), m.end(), sunday, window))
        elif m.group("last_month"):
            last = published.replace(day=1) - timedelta(days=1)
            window = DateWindow(last.replace(day=1), last)
            found.append(DateMention(m.start(), m.end(), last.replace(day=15), window))
        elif m.group("yesterday"):
            found.append(DateMention(m.start(), m.end(), published - timedelta(days=1), None))
        elif m.group("today"):
            found.append(DateMention(m.start(), m.end(), published, None))
        elif m.group("last_week"):
            window = DateWindow(monday - timedelta(days=7), monday - timedelta(days=1))
            found.append(DateMention(m.start(), m.end(), monday - timedelta(days=4), window))
        elif m.group("earlier_this_week") and published > monday:
            # 'earlier this week': from Monday to the day before publication.
            before = published - timedelta(days=1)
            middle = monday + (before - monday) / 2
            found.append(DateMention(m.start(), m.end(), middle, DateWindow(monday, before)))
        elif m.group("this_month"):
            first = published.replace(day=1)
            middle = first + (published - first) / 2
            found.append(DateMention(m.start(), m.end(), middle, DateWindow(first, published)))
        else:
            found.append(DateMention(m.start(), m.end(), published, DateWindow(monday, published)))
    return found


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTS |= {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5}


def _count(text: str) -> int | None:
    """The number of days in 'two days ago', 'il y a 3 jours' (None for 'a few')."""
    for word in re.findall(r"\w+", text):
        if word.isdigit():
            return int(word)
        if word in _COUNTS:
            return _COUNTS[word]
    return None
