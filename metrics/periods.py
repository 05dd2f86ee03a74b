"""The period a figure refers to, read from its sentence, paragraph, headline and the article date.

Periods are strings of one documented format, each with a granularity: ``2024Q3`` (quarter), ``2024H1``
(half year), ``2024`` (full year), ``2024-11`` (month) and ``2024-02-09`` (one day). A Q3 figure and a
full-year figure are different periods; `period_bounds` gives the dates a period covers, `period_order` a key
that sorts periods by when they end (a longer period after a shorter one ending the same day).
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime

from borax.calendars.lunardate import LunarDate

from wxwatch.metrics.script import to_simplified

logger = logging.getLogger(__name__)

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "首": 1}
_YEAR = r"(?:(?P<year>(?:19|20)\d\d)(?:年度?|财年|财政年度)|(?P<rel>今年|去年|前年|本年))"
_YEAR_BEFORE_Q = r"(?:(?P<year>(?:19|20)\d\d)年?|(?P<rel>今年|去年|前年|本年))"
_REPORT = r"(?:报|财报|业绩|报告)"
_NUM = r"(?:[1-9]|1[0-2])"
_PATTERNS = (
    ("quarter", rf"{_YEAR}?(?:第)?(?<![\d.])(?P<q>[一二三四首1-4])季度?(?P<report>{_REPORT})?"),
    ("quarter", rf"{_YEAR_BEFORE_Q}?(?<![A-Za-z])[Qq](?P<q>[1-4])(?!\d)"),
    ("half", rf"{_YEAR}?(?P<h>[上下])半年(?P<report>{_REPORT})?"),
    ("half", rf"{_YEAR}?(?:中报|半年报|中期业绩|中期报告)(?P<report>)"),
    ("day", rf"{_YEAR}?(?:截至|截止|截止到|截止至)?(?P<eve>除夕)(?:当天|当日|夜|当晚)?"),
    ("day", rf"{_YEAR}?(?P<spring>春节)(?:期间|假期|当天|当日)"),
    ("until", rf"(?:截至|截止|截止到|截止至|到){_YEAR}?(?P<m>{_NUM})月(?P<d>[1-3]?\d)[日号]"),
    ("year_end", rf"(?:截至|截止|截止到|截止至|到){_YEAR}?(?:底|年末|年底)"),
    ("day", rf"{_YEAR}?(?P<m>{_NUM})月(?P<d>[1-3]?\d)[日号](?:当天|当日|一天)"),
    ("month", rf"{_YEAR}?(?P<m>{_NUM})月份?(?![\d份]*[日号])"),
    ("year", rf"(?:{_YEAR}(?!\d{{1,2}}月)(?:全年|一整年)?|(?P<full>全年))(?P<report>年报|年度报告|年度业绩)?"),
    ("year", r"(?P<report>年报|年度报告|年度业绩)"),
)
PERIOD_MENTION = re.compile("|".join(f"(?P<g{i}>{pattern.replace('?P<', f'?P<g{i}_')})"
                                     for i, (_, pattern) in enumerate(_PATTERNS)))
_COMPARISON_BEFORE = re.compile(r"(?:比|较|相比|同比|相较|对比|与|和|环比|比起)(?:于)?$")
_COMPARISON_AFTER = re.compile(r"^(?:同期|相比|相较|比)")
SENTENCE_END = re.compile(r"[。!?;！？；\n]")
SCOPE_CHARS = 1000  # how far a period is looked for around a figure (bounded: extraction stays linear)
PERIOD_FORMAT = re.compile(r"^(?P<y>\d{4})(?:Q(?P<q>[1-4])|H(?P<h>[12])|-(?P<m>\d\d)(?:-(?P<d>\d\d))?)?$")


@dataclass(frozen=True)
class PeriodContext:
    """What surrounds a sentence: the article's headline and publication date."""

    headline: str = ""
    published: date | None = None


@dataclass(frozen=True)
class _Mention:
    """One period expression: its granularity and what it stated (year may be missing or relative)."""

    kind: str
    year: int | None
    relative: int | None  # years before the article date (今年 0, 去年 1, 前年 2)
    part: tuple[int, ...]  # quarter | half | month | (month, day) | ()
    report: bool  # a report on a finished period (三季报, 年报): it ended before the article
    start: int
    end: int


def resolve_period(text: str, sentence_start: int, position: int, context: PeriodContext | None = None
                   ) -> str | None:
    """The period of the figure at `position`: from its sentence (before it, then after), paragraph, headline.

    A year left unstated comes from another year named in the same scope, else from the article date."""
    context = context or PeriodContext()
    sentence_end = _sentence_end(text, position)
    paragraph_start = max(text.rfind("\n", 0, sentence_start) + 1, sentence_start - SCOPE_CHARS)
    scopes = ((text[sentence_start:position], True), (text[position:sentence_end], False),
              (text[paragraph_start:sentence_start], True), (context.headline, False))
    for scope, last in scopes:
        mentions = find_mentions(scope)
        if mentions:
            mention = mentions[-1] if last else mentions[0]
            return _resolve(mention, _context_year(text[paragraph_start:sentence_end], context), context.published)
    return None


def find_mentions(text: str) -> list[_Mention]:
    """Every period expression in a text (either script), comparisons ("比去年同期") left out."""
    simplified = to_simplified(text)
    mentions = []
    for match in PERIOD_MENTION.finditer(simplified):
        if _COMPARISON_BEFORE.search(simplified[max(0, match.start() - 4) : match.start()]) or \
                _COMPARISON_AFTER.search(simplified[match.end() : match.end() + 2]):
            continue
        mention = _mention(match)
        if mention is not None:
            mentions.append(mention)
    return mentions


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day a period covers."""
    parsed = PERIOD_FORMAT.match(period)
    if parsed is None:
        raise ValueError(f"not a period: {period!r}")
    year = int(parsed["y"])
    if parsed["q"]:
        first_month, last_month = 3 * int(parsed["q"]) - 2, 3 * int(parsed["q"])
    elif parsed["h"]:
        first_month, last_month = 6 * int(parsed["h"]) - 5, 6 * int(parsed["h"])
    elif parsed["d"]:
        day = date(year, int(parsed["m"]), int(parsed["d"]))
        return day, day
    elif parsed["m"]:
        first_month = last_month = int(parsed["m"])
    else:
        first_month, last_month = 1, 12
    return date(year, first_month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


def period_order(period: str | None) -> tuple[str, int]:
    """Sort key: by the day the period ends, then the longer period later; no period sorts first."""
    if not period:
        return ("", 0)
    first, last = period_bounds(period)
    return (last.isoformat(), (last - first).days)


def period_columns(period: str | None) -> dict:
    """`period_order` as two columns for SQL ordering: period_end (ISO date) and period_days (its length - 1)."""
    if not period:
        return {"period_end": None, "period_days": None}
    end, days = period_order(period)
    return {"period_end": end, "period_days": days}


def _mention(match: re.Match[str]) -> _Mention | None:
    index = int(match.lastgroup[1:]) if match.lastgroup else 0
    kind = _PATTERNS[index][0]
    groups = {name.split("_", 1)[1]: value for name, value in match.groupdict().items()
              if value is not None and name.startswith(f"g{index}_")}
    year = int(groups["year"]) if "year" in groups else None
    relative = {"今年": 0, "本年": 0, "去年": 1, "前年": 2}.get(groups.get("rel", ""))
    if kind == "year" and year is None and relative is None and "full" not in groups and "report" not in groups:
        return None
    part = _part(kind, groups)
    if part is None:
        return None
    kind = {"until": "day", "year_end": "year"}.get(kind, kind)
    if kind == "day" and len(part) == 2 and (part[0], part[1]) in _QUARTER_ENDS:
        kind, part = ("quarter", (part[0] // 3,)) if part[0] != 12 else ("year", ())
    return _Mention(kind, year, relative, part, "report" in groups, match.start(), match.end())


_QUARTER_ENDS = {(3, 31), (6, 30), (9, 30), (12, 31)}


def _part(kind: str, groups: dict[str, str]) -> tuple[int, ...] | None:
    if kind == "quarter":
        return (_CN_DIGITS.get(groups["q"]) or int(groups["q"]),)
    if kind == "half":
        return (2 if groups.get("h") == "下" else 1,)
    if "eve" in groups or "spring" in groups:
        return ("eve" in groups and (-1,)) or (0,)
    if "m" in groups:
        month, day = int(groups["m"]), int(groups["d"]) if "d" in groups else 0
        if day > calendar.monthrange(2024, month)[1]:
            return None
        return (month, day) if day else (month,)
    return ()


def _context_year(scope: str, context: PeriodContext) -> int | None:
    """A year stated in the sentence's paragraph or the headline (for "截至9月30日", "三季度")."""
    for text in (scope, context.headline):
        stated = [m.year for m in find_mentions(text) if m.year is not None]
        if stated:
            return stated[-1]
    return None


def _resolve(mention: _Mention, context_year: int | None, published: date | None) -> str | None:
    if mention.year is not None:
        return _format(mention, mention.year)
    if mention.relative is not None:
        return _format(mention, published.year - mention.relative) if published else None
    if context_year is not None:
        return _format(mention, context_year)
    if published is None:
        return None
    return _latest_fitting(mention, published)


def _latest_fitting(mention: _Mention, published: date) -> str | None:
    """The year that puts the period before the article: started by then, or ended by then for a report."""
    for year in (published.year, published.year - 1):
        period = _format(mention, year)
        if period is None:
            return None
        first, last = period_bounds(period)
        if (last if mention.report else first) <= published:
            return period
    return _format(mention, published.year - 1)


def _format(mention: _Mention, year: int) -> str | None:
    if mention.kind == "quarter":
        return f"{year}Q{mention.part[0]}"
    if mention.kind == "half":
        return f"{year}H{mention.part[0]}"
    if mention.kind == "month":
        return f"{year}-{mention.part[0]:02d}"
    if mention.kind == "day":
        return _day(mention, year)
    return str(year)


def _day(mention: _Mention, year: int) -> str | None:
    if mention.part in ((-1,), (0,)):  # 除夕 (the eve of the lunar new year) or 春节 (its first day)
        new_year = LunarDate(year, 1, 1).to_solar_date()
        return date.fromordinal(new_year.toordinal() + mention.part[0]).isoformat()
    try:
        return date(year, mention.part[0], mention.part[1]).isoformat()
    except ValueError:
        return None


def _sentence_end(text: str, position: int) -> int:
    found = SENTENCE_END.search(text, position, position + SCOPE_CHARS)
    return found.start() if found else min(len(text), position + SCOPE_CHARS)


def published_date(published: str | None) -> date | None:
    """The article's date (in its own offset) from an ISO 8601 timestamp, or None."""
    try:
        return datetime.fromisoformat(published).date() if published else None
    except ValueError:
        return None
