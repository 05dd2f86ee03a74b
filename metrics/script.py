"""Chinese script handling: traditional to simplified with Taiwan phrases, pinyin annotation removal."""

from __future__ import annotations

import functools
import logging
import re

import opencc

logger = logging.getLogger(__name__)

# Applied after OpenCC t2s (so keys are in simplified characters). t2s is character-level and keeps
# Taiwan vocabulary; tw2sp would also turn mainland 小程序 into 小进程, so it is not used.
TAIWAN_PHRASES: dict[str, str] = {
    "小程式": "小程序",
    "应用程式": "应用程序",
    "影片号": "视频号",
    "视讯通话": "视频通话",
    "视讯": "视频",
    "帐户": "账户",
    "帐号": "账号",
    "使用者": "用户",
    "行动支付": "移动支付",
    "网路": "网络",
    "软体": "软件",
    "数位化": "数字化",
    "企业微讯": "企业微信",
}

TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_NEUTRAL_SYLLABLES = "men|de|le|me|ne|ma|ba|zi|zhe|guo|zhao|shang|li|tou|xia"
PINYIN_ANNOTATION = re.compile(
    rf"(?<=[\u3400-\u9fff])\((?:[a-zü]*[{TONE_VOWELS}][a-zü]*|(?:{_NEUTRAL_SYLLABLES}))\)"
)
_TRADITIONAL_HINT = re.compile(r"[\u4e00-\u9fff]")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=1)
def _taiwan_pattern() -> re.Pattern[str]:
    keys = sorted(TAIWAN_PHRASES, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


def to_simplified(text: str) -> str:
    """Traditional (incl. Taiwan vocabulary) to simplified; simplified input passes unchanged."""
    if not _TRADITIONAL_HINT.search(text):
        return text
    simplified = _t2s().convert(text)
    return _taiwan_pattern().sub(lambda m: TAIWAN_PHRASES[m.group(0)], simplified)


def remove_pinyin_annotations(text: str) -> str:
    """Drop converter-added pinyin after characters: 發(fā) -> 發; real parentheticals stay."""
    return PINYIN_ANNOTATION.sub("", text)
