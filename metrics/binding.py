"""Binding a quantity to its measure and subject inside a clause, sentence and nearby text."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from wxwatch.metrics.catalog import Catalog, Measure, Metric

logger = logging.getLogger(__name__)

GENERIC_MEASURES = frozenset({"users", "user_base", "revenue"})
CARRY_CHARS = 300  # how far back a subject is carried within a paragraph
CARRY_ACROSS_LINES = 120  # ... and across line breaks (titles, section headings)
_ATTRIBUTIVE = re.compile(r"(?:人次|人|用户|名|个)?的")
# a product after these words is what the figure serves, not its owner ("13亿月活用户为小程序电商提供…")
_BENEFICIARY = re.compile(r"为|给|向|帮助|助力|带动|推动|支撑")
DANGLING_CLAUSES = 2  # how many clause breaks a measure without a number may reach over to its number
DANGLING_CHARS = 40
_CLAUSE_BREAK = re.compile(r"[,、|]+")


@dataclass(frozen=True)
class Mention:
    """A product (or other entity) name found in the text."""

    start: int
    end: int
    name: str
    kind: str  # a subject key, "other" or "none"


@dataclass(frozen=True)
class MeasureHit:
    """A measure phrase found before or after a number."""

    measure: Measure
    start: int
    end: int
    phrase: str


_RESPECTIVELY = re.compile(r"分别|依次")
_COMPOUND_GAP = re.compile(r"[^\s,.;:!?、的和与及或旗下]{0,4}")


def _owned_by_other(text: str, previous: Mention, mention: Mention, catalog: Catalog) -> bool:
    """'美团小程序', '支付宝小程序', '京东购物小程序': another company's product, not WeChat's."""
    if previous.kind != "other" or previous.name in catalog.owners:
        return False
    gap = _COMPOUND_GAP.fullmatch(text, previous.end, mention.start)
    return gap is not None


_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9\-]+(?![A-Za-z0-9])")


def _unknown_latin_names(text: str, catalog: Catalog, known: list[Mention]) -> list[Mention]:
    """Latin words that are neither catalogued names nor jargon: likely other brands ("Soul", "Keep")."""
    covered = {i for m in known for i in range(m.start, m.end)}
    return [
        Mention(m.start(), m.end(), m.group(0), "other")
        for m in _LATIN_WORD.finditer(text)
        if m.group(0) not in catalog.latin_ok and m.start() not in covered
    ]


# "某小游戏", "一款小程序", "该公众号", "一位视频号创作者": one item on the platform, not the platform
_ONE_ITEM_BEFORE = re.compile(r"(?:某|一款|这款|那款|某款|该|一个|这个|某个|一位|一家|其)(?:热门|爆款|知名|头部)?$")


def _one_item(text: str, mention: Mention) -> bool:
    return _ONE_ITEM_BEFORE.search(text, max(0, mention.start - 4), mention.start) is not None


def find_mentions(text: str, catalog: Catalog) -> list[Mention]:
    """Every product or other-entity name in the text (incl. unknown Latin brand words), in order."""
    mentions: list[Mention] = []
    for match in catalog.names_pattern.finditer(text):
        mention = Mention(match.start(), match.end(), match.group(0), catalog.name_kind(match.group(0)) or "none")
        owned = mentions and _owned_by_other(text, mentions[-1], mention, catalog)
        if mention.kind not in ("other", "none") and (owned or _one_item(text, mention)):
            mention = Mention(mention.start, mention.end, mention.name, "other")
        mentions.append(mention)
    return sorted(mentions + _unknown_latin_names(text, catalog, mentions), key=lambda m: m.start)


def find_before_hits(text: str, start: int, end: int, catalog: Catalog) -> list[MeasureHit]:
    """Every `before` measure phrase inside text[start:end], overlapping matches included."""
    hits: list[MeasureHit] = []
    position = start
    pattern = catalog.before_pattern
    while True:
        match = pattern.search(text, position, end)
        if match is None:
            return hits
        key = (match.lastgroup or "").split("__")[0]
        hits.append(MeasureHit(catalog.measures[key], match.start(), match.end(), match.group(0)))
        position = match.start() + 1


def distributed_measures(text: str, start: int, end: int, numbers: list[tuple[int, int]], catalog: Catalog
                         ) -> dict[int, MeasureHit]:
    """"A和B分别为…的三倍和两倍": the i-th measure before 分别 goes with the i-th number after it.

    Looks at each 分别 in text[start:end]; returns {number start: measure} when the counts agree."""
    paired: dict[int, MeasureHit] = {}
    for match in _RESPECTIVELY.finditer(text, start, end):
        head = max(start, text.rfind(",", start, match.start()) + 1)
        tail = text.find(",", match.end(), end)
        hits = _non_overlapping(find_before_hits(text, head, match.start(), catalog))
        after = [n for n in numbers if match.end() <= n[0] and n[1] <= (end if tail < 0 else tail)]
        if len(hits) >= 2 and len(hits) == len(after):
            paired.update({number[0]: hit for number, hit in zip(after, hits, strict=True)})
    return paired


def _non_overlapping(hits: list[MeasureHit]) -> list[MeasureHit]:
    """Left to right, the longest phrase at each place, skipping phrases inside one already taken."""
    kept: list[MeasureHit] = []
    for hit in sorted(hits, key=lambda h: (h.start, -(h.end - h.start))):
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _rate_ok(measure: Measure, rate: str | None) -> bool:
    return measure.rate is None or measure.rate == rate


def after_hit(text: str, starts: tuple[int, ...], limit: int, catalog: Catalog, rate: str | None
              ) -> MeasureHit | None:
    """The longest `after` measure phrase directly following a number (ending before `limit`).

    `starts` are the positions to try: after the number's counter, and before it ("7.5亿人进朋友圈")."""
    best, floor = None, max(starts)
    if min(starts) >= limit:
        return None
    for measure, pattern in catalog.after_patterns:
        if measure.rate is not None and measure.rate != rate:
            continue
        for start in starts:
            match = pattern.match(text, start, limit)
            if match and match.end() > start and match.end() >= floor and (best is None or match.end() > best.end):
                best = MeasureHit(measure, start, match.end(), match.group(0))
    return best


def before_hit(text: str, start: int, end: int, catalog: Catalog, rate: str | None) -> MeasureHit | None:
    """The `before` measure phrase inside [start, end) ending nearest the number (longest on ties)."""
    inside = [h for h in find_before_hits(text, start, end, catalog) if _rate_ok(h.measure, rate)]
    if not inside:
        return None
    return max(inside, key=lambda h: (not _glossed(text, start, end, h), h.end, h.end - h.start))


def _glossed(text: str, start: int, end: int, hit: MeasureHit) -> bool:
    """A phrase inside parentheses, a gloss of the term before it ("直播带货GMV(成交总额)")."""
    opened = text.rfind("(", start, hit.start)
    return opened > text.rfind(")", start, hit.start) and ")" in text[hit.end : end]


def dangling_hit(text: str, reach: int, clause_start: int, catalog: Catalog, rate: str | None) -> MeasureHit | None:
    """A measure left without a number in the clauses just before the number's clause ("…月活跃账户数仍在上升，
    已达到12.5亿"): the nearest `before` phrase in [reach, clause_start), at most DANGLING_CLAUSES clauses
    and DANGLING_CHARS characters back. `reach` is the end of the sentence's previous quantity."""
    start = max(reach, clause_start - DANGLING_CHARS)
    hit = before_hit(text, start, clause_start, catalog, rate)
    if hit is None or len(_CLAUSE_BREAK.findall(text, hit.end, clause_start)) > DANGLING_CLAUSES:
        return None
    return hit


def choose_measure(before: MeasureHit | None, after: MeasureHit | None) -> MeasureHit | None:
    """The phrase after the number names what is counted, unless it is generic and one precedes."""
    if after and before and after.measure.key in GENERIC_MEASURES and before.measure.key not in GENERIC_MEASURES:
        return before
    return after or before


def subject_candidates(text: str, mentions: list[Mention], number: tuple[int, int], clause: tuple[int, int],
                       sentence_start: int, excluded: tuple[int, int] | None) -> list[Mention]:
    """Names that may be the subject of a number, most likely first.

    Order: a product inside the measure phrase ("公众号数量"), the product right after an `after`
    phrase ("4.5亿用户使用小程序") or after 的 ("9亿人次的微信生态"), then the clause leftwards,
    the clause rightwards, the sentence leftwards, and preceding text (CARRY_CHARS in the paragraph,
    CARRY_ACROSS_LINES across line breaks)."""
    start, end = number

    def usable(m: Mention) -> bool:
        return not (excluded and m.start < excluded[1] and m.end > excluded[0])

    attributive = _ATTRIBUTIVE.match(text, end)
    ordered: list[Mention] = []
    if excluded:
        ordered += [m for m in mentions if m.start < excluded[1] and m.end > excluded[0]]
    if excluded and excluded[0] >= end:
        ordered += [m for m in mentions if m.start == excluded[1]]
    if attributive:
        ordered += [m for m in mentions if m.start == attributive.end()]
    ordered += [m for m in reversed(mentions) if clause[0] <= m.start and m.end <= start and usable(m)]
    ordered += [m for m in mentions if end <= m.start and m.end <= clause[1] and usable(m)
                and not _BENEFICIARY.search(text, end, m.start)]
    ordered += [m for m in reversed(mentions) if sentence_start <= m.start < clause[0] and usable(m)]
    return ordered + _carried(text, mentions, sentence_start)


def _carried(text: str, mentions: list[Mention], sentence_start: int) -> list[Mention]:
    """Names before the sentence, nearest first: within the paragraph, or just above it (headings)."""
    paragraph_start = text.rfind("\n", 0, sentence_start) + 1
    return [
        m for m in reversed(mentions)
        if sentence_start - CARRY_CHARS <= m.start < sentence_start
        and (m.start >= paragraph_start or sentence_start - m.end <= CARRY_ACROSS_LINES)
    ]


def resolve(candidates: list[Mention], measure: Measure, family: str, catalog: Catalog, sentence_start: int = 0
            ) -> tuple[str | None, Metric | None]:
    """(subject key, metric) for a measure: the first candidate forming a catalogued metric.

    Stops at another company's name (its figure is not WeChat's), and at the sentence's start once the
    sentence named a product of its own ("微信支付的月活跃用户" is not the previous sentence's 视频号 MAU).
    When a WeChat product is named but none fits, uses the measure's implied subject, else the first
    product (uncatalogued, metric None).
    """
    fallback = None
    for mention in candidates:
        if mention.kind == "none":
            continue
        if mention.kind == "other" or (fallback and mention.start < sentence_start):
            return fallback, None
        metric = catalog.lookup(mention.kind, measure.key, family)
        if metric:
            return mention.kind, metric
        fallback = fallback or mention.kind
    if fallback and measure.subject and (metric := catalog.lookup(measure.subject, measure.key, family)):
        return measure.subject, metric
    return fallback, None
