"""Sentence and clause boundaries in normalized text, and the context cues read from them."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

SENTENCE_END = re.compile(r"[。!?;\n]")
CLAUSE_SEP = re.compile(r"[、|]|,(?!(?<=\d,)\d{3}(?!\d))")  # not the comma of a thousands separator
MAX_SENTENCE = 600  # longer runs (tables, unpunctuated dumps) are cut at clause breaks: keeps extraction linear
_SOFT_BREAK = re.compile(r"[,、|\s]")

_RATES = (
    ("hour", r"每(?:1|一)?个?小时|(?<![\d.])(?:1|一)个?小时|这一?个小时|每小时"),
    ("day", r"每天|每日|日均|平均每天|(?<![\d.第])一天|单日|每一天"),
    ("month", r"每(?:1|一)?个?月|月均|每月"),
)
RATE_MARKER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _RATES))
HYPOTHETICAL = re.compile(r"如果|假如|假设|要是|倘若|吧[”\"」]*$")
FUTURE = re.compile(
    r"预计|计划|(?<!即)将(?!近)|未来|目标|希望|力争|争取|打算|有望|要再|还要|还会|会继续|明年|预期|规划"
)


@dataclass(frozen=True)
class Span:
    """A [start, end) character span of the normalized text."""

    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentences: split at 。!?; and line breaks, empty ones dropped, none longer than MAX_SENTENCE."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.start() > start:
            spans += _bounded(text, start, match.start())
        start = match.end()
    if start < len(text):
        spans += _bounded(text, start, len(text))
    return spans


def _bounded(text: str, start: int, end: int) -> list[Span]:
    """[start, end) cut into pieces of at most MAX_SENTENCE chars, at the last clause break when there is one."""
    pieces = []
    while end - start > MAX_SENTENCE:
        limit = start + MAX_SENTENCE
        breaks = [m.end() for m in _SOFT_BREAK.finditer(text, limit - MAX_SENTENCE // 3, limit)]
        cut = breaks[-1] if breaks else limit
        pieces.append(Span(start, cut))
        start = cut
    return pieces + [Span(start, end)]


def clause_span(text: str, sentence: Span, position: int) -> Span:
    """The clause (between , 、 |) of a sentence that contains `position`."""
    start = sentence.start
    for match in CLAUSE_SEP.finditer(text, sentence.start, sentence.end):
        if match.start() >= position:
            return Span(start, match.start())
        start = match.end()
    return Span(start, sentence.end)


def rate_before(text: str, start: int, end: int) -> str | None:
    """The last rate marker (每天 / 每小时 / 每月 ...) before `end` in its full sentence.

    The search starts at `start` or earlier: a rate stated before a ';' still governs the list after it
    ("每天有10.9亿用户打开微信…；有3.6亿用户读公众号文章，4亿用户使用小程序")."""
    floor = max(0, start - 400)
    begin = max(max(text.rfind(mark, floor, start) for mark in "。!?\n") + 1, floor)
    rate = None
    for match in RATE_MARKER.finditer(text, min(begin, start), end):
        rate = match.lastgroup
    return rate


_RATE_AFTER = re.compile(r"(?:人次|人|名|用户|个)?(?:都|会)?(?:" + RATE_MARKER.pattern + ")")


def rate_right_after(text: str, start: int, end: int) -> str | None:
    """A rate stated right after the number ("近11亿人每日使用", "3亿用户每天阅读")."""
    match = _RATE_AFTER.match(text, start, end)
    return match.lastgroup if match else None


def is_hypothetical(sentence: str) -> bool:
    """A conditional or wishful sentence ("如果…", "我们做到一天一亿笔吧")."""
    return bool(HYPOTHETICAL.search(sentence))


QUESTION = re.compile(r"能否|是否|会不会|能不能|有没有|吗$|呢$|多少|几何")


def is_question(sentence: str, terminator: str) -> bool:
    """A question ("小程序日活能否突破10亿?"): ends with '?' and carries a question word."""
    return terminator == "?" and bool(QUESTION.search(sentence))


LIMIT = re.compile(r"上限|下限|最多(?!的|人)|至多|最高可|不得超过|不能超过|限制为|限定|门槛")


def is_limit(clause_prefix: str) -> bool:
    """A rule limit or threshold, not a measurement ("注册公众号的数量上限由5个调整为2个", "最多选用25种模板")."""
    return bool(LIMIT.search(clause_prefix))


def is_future(clause_prefix: str) -> bool:
    """A plan, pledge or forecast stated in the clause before the number."""
    return bool(FUTURE.search(clause_prefix))
