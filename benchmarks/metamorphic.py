"""Metamorphic test of the extractor: rewrites of every required gold figure that must keep its (metric, value).

Usage: python benchmarks/metamorphic.py [--shared PATH] [--sets seeds,dev,dev2] [-v]

For each required gold pair of the chosen sets, the article is normalized and extracted; the figure's
quantity is located (the observation with the same metric and value), then each transform rewrites the
article and the pair must still come out. Whole-text transforms: OpenCC s2t / s2hk / s2tw, full-width
digits and punctuation. Local transforms at the figure: Arabic -> Chinese numerals (mixed magnitudes such
as 十三亿四千三百万, 点 forms, 百分之), spaces around the number and unit, thousands separators (4.5亿 ->
45,000万), a neutral clause between the measure and the number, a growth clause appended after the value.
A pair the extractor misses on the original text fails every transform; a transform that does not apply
to a figure (no Arabic digits, no verb before the number) is counted as n/a. Prints one line per transform.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import opencc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from wxwatch.metrics.evaluation import close  # noqa: E402
from wxwatch.metrics.extract import Observation, extract_metrics  # noqa: E402
from wxwatch.metrics.normalize import normalize_text  # noqa: E402
from wxwatch.text.document import load_document  # noqa: E402

SETS = {"seeds": ("gold/seeds.toml", "seeds"), "dev": ("gold/dev.toml", "dev/articles"),
        "dev2": ("gold/dev2.toml", "dev2/articles")}
THRESHOLD = 0.95
NEUTRAL_CLAUSE = "，据官方最新披露，"
GROWTH_CLAUSE = "，较上年同期增长7.7%"
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_LEAD_VERB = re.compile(
    r"(?:已经|已|目前|仍然|仍|均|都|也|进一步)*(?:同比|环比|年同比|较上年|较去年)?(?:增长|上涨|提升|增加|上升|下降|减少|下滑)?了?"
    r"(?:达到|高达|增至|突破|超过|超|逾|过|接近|近|约|为|是|达|有)?了?$"
)
_CLAUSE_END = re.compile(r"[,，。;；!?\n]")
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Figure:
    """A required gold pair and, when the extractor found it in the original, where its number is."""

    metric: str
    value: float
    text: str
    start: int | None
    end: int | None


@dataclass
class Tally:
    """Passes, failures and non-applicable figures of one transform."""

    passed: int = 0
    failed: list[str] = field(default_factory=list)
    not_applicable: int = 0

    @property
    def rate(self) -> float:
        total = self.passed + len(self.failed)
        return self.passed / total if total else 1.0


def chinese_integer(number: int) -> str:
    """An integer below 10^12 in Chinese numerals: 1800 -> 一千八百, 15 -> 十五, 20300 -> 二万零三百."""
    if number == 0:
        return "零"
    if number >= 10**8:
        return _with_magnitude(number, 10**8, "亿")
    if number >= 10**4:
        return _with_magnitude(number, 10**4, "万")
    digits, out, zero = f"{number:d}", "", False
    for index, char in enumerate(digits):
        unit = ("千", "百", "十", "")[4 - len(digits) + index]
        if char == "0":
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _DIGITS[int(char)] + unit
        zero = False
    return out[1:] if out.startswith("一十") else out


def _with_magnitude(number: int, size: int, name: str) -> str:
    high, low = divmod(number, size)
    tail = "" if low == 0 else ("零" if low < size // 10 else "") + chinese_integer(low)
    return chinese_integer(high) + name + tail


def chinese_decimal(text: str) -> str:
    """An Arabic number (with separators or a decimal part) in Chinese numerals: 4.5 -> 四点五."""
    whole, _, fraction = text.replace(",", "").partition(".")
    return chinese_integer(int(whole)) + ("点" + "".join(_DIGITS[int(c)] for c in fraction) if fraction else "")


def _number_in(text: str, figure: Figure) -> re.Match[str] | None:
    return _NUMBER.search(text, figure.start, figure.end) if figure.start is not None else None


def to_chinese_numerals(text: str, figure: Figure) -> str | None:
    """The figure's Arabic number in Chinese: mixed magnitudes for 亿 with decimals, 百分之 for percentages."""
    number = _number_in(text, figure)
    if number is None:
        return None
    after = text[number.end() : number.end() + 2]
    if after.startswith("%"):
        return text[: number.start()] + "百分之" + chinese_decimal(number.group()) + text[number.end() + 1 :]
    if after.startswith("亿") and not after.startswith("亿万") and "." in number.group():
        wan = round(float(number.group().replace(",", "")) * 10**4)
        return text[: number.start()] + chinese_integer(wan * 10**4) + text[number.end() + 1 :]
    return text[: number.start()] + chinese_decimal(number.group()) + text[number.end() :]


def with_spaces(text: str, figure: Figure) -> str | None:
    """Spaces before the number, between it and its unit, and after the unit: '超过 13亿 月活'."""
    number = _number_in(text, figure)
    if number is None:
        return None
    end = figure.end or number.end()
    return f"{text[: number.start()]} {number.group()} {text[number.end() : end]} {text[end:]}"


def with_thousands(text: str, figure: Figure) -> str | None:
    """Thousands separators: 8000万 -> 8,000万, 4.5亿 -> 45,000万, 1800家 -> 1,800家."""
    number = _number_in(text, figure)
    if number is None or "," in number.group():
        return None
    value = float(number.group())
    if text.startswith("亿", number.end()) and not text.startswith("亿万", number.end()):
        wan = value * 10**4
        if wan != int(wan):
            return None
        return f"{text[: number.start()]}{int(wan):,}万{text[number.end() + 1 :]}"
    if value < 1000 or value != int(value):
        return None
    return f"{text[: number.start()]}{int(value):,}{text[number.end() :]}"


def with_neutral_clause(text: str, figure: Figure) -> str | None:
    """A neutral clause between the measure (and its verb) and the number: '月活跃账户数，据…，达13.43亿'."""
    if figure.start is None:
        return None
    verb = _LEAD_VERB.search(text, max(0, figure.start - 12), figure.start)
    if verb is None or verb.start() == figure.start:
        return None
    return text[: verb.start()] + NEUTRAL_CLAUSE + text[verb.start() :]


def with_growth_clause(text: str, figure: Figure) -> str | None:
    """A growth clause appended at the end of the figure's clause: '…13.43亿，较上年同期增长7.7%'."""
    if figure.end is None:
        return None
    end = _CLAUSE_END.search(text, figure.end)
    position = end.start() if end else len(text)
    return text[:position] + GROWTH_CLAUSE + text[position:]


@functools.lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _script(config: str) -> Callable[[str, Figure], str]:
    return lambda text, _figure: _converter(config).convert(text)


_FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789,;:!?()%"}


def full_width(text: str, _figure: Figure) -> str:
    """Full-width digits and punctuation ('１３.４３亿', '，', '（') as older and HK/TW pages write them."""
    return text.translate(_FULL_WIDTH)


TRANSFORMS: dict[str, Callable[[str, Figure], str | None]] = {
    "s2t": _script("s2t"),
    "s2hk": _script("s2hk"),
    "s2tw": _script("s2tw"),
    "chinese_numerals": to_chinese_numerals,
    "spaces": with_spaces,
    "thousands": with_thousands,
    "full_width": full_width,
    "neutral_clause": with_neutral_clause,
    "growth_clause": with_growth_clause,
}


def _found(observations: list[Observation], metric: str, value: float) -> Observation | None:
    return next((o for o in observations if o.metric == metric and close(o.value, value)), None)


def article_figures(path: Path, required: list) -> tuple[str, list[Figure]]:
    """The normalized article and its required figures, located where the extractor finds them."""
    text = normalize_text(load_document(str(path)).text)
    observations = extract_metrics(text)
    figures = []
    for metric, value in required:
        hit = _found(observations, metric, value)
        figures.append(Figure(metric, value, text, hit.start if hit else None, hit.end if hit else None))
    return text, figures


def run(shared: Path, sets: list[str]) -> dict[str, Tally]:
    """Tallies per transform over the required pairs of the chosen gold sets."""
    tallies = {name: Tally() for name in TRANSFORMS}
    for set_name in sets:
        gold_file, docs = SETS[set_name]
        gold = tomllib.loads((shared / gold_file).read_text(encoding="utf-8"))
        for article in gold.get("article", []):
            _, figures = article_figures(shared / docs / article["file"], article.get("required", []))
            for figure in figures:
                label = f"{set_name}/{article['file']} {figure.metric}={figure.value:g}"
                _check(figure, label, tallies)
    return tallies


def _check(figure: Figure, label: str, tallies: dict[str, Tally]) -> None:
    for name, transform in TRANSFORMS.items():
        variant = transform(figure.text, figure)
        if variant is None:
            tallies[name].not_applicable += figure.start is not None
            if figure.start is None:
                tallies[name].failed.append(label + " (missed in the original)")
            continue
        if _found(extract_metrics(variant), figure.metric, figure.value):
            tallies[name].passed += 1
        else:
            tallies[name].failed.append(label)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--sets", default="seeds,dev,dev2")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the failing figures")
    args = parser.parse_args()
    if not args.shared.is_dir():
        print(f"Error: no shared inputs at {args.shared}", file=sys.stderr)
        return 2
    tallies = run(args.shared, args.sets.split(","))
    print(f"{'transform':18} {'pass':>5} {'fail':>5} {'n/a':>5} {'rate':>6}")
    for name, tally in tallies.items():
        print(f"{name:18} {tally.passed:5} {len(tally.failed):5} {tally.not_applicable:5} {tally.rate:6.3f}")
        if args.verbose:
            print("\n".join(f"    FAIL {label}" for label in tally.failed))
    worst = min(t.rate for t in tallies.values())
    print(f"lowest pass rate {worst:.3f} (target {THRESHOLD})")
    return 0 if worst >= THRESHOLD else 1


if __name__ == "__main__":
    sys.exit(main())
