"""Invented but plausible Chinese place names with their English renderings (pure, seeded).

Names are built from syllables common in Shanghai street and estate names; every combination is
drawn from the caller's random generator, so the same seed gives the same names. None is meant to
match a real place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# (character, pinyin) pairs used to compose two-character names
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("瑞", "rui"), ("丰", "feng"), ("康", "kang"), ("乐", "le"), ("嘉", "jia"), ("禾", "he"),
    ("金", "jin"), ("桂", "gui"), ("梅", "mei"), ("林", "lin"), ("泉", "quan"), ("云", "yun"),
    ("明", "ming"), ("华", "hua"), ("安", "an"), ("宁", "ning"), ("泰", "tai"), ("和", "he"),
    ("顺", "shun"), ("兴", "xing"), ("春", "chun"), ("阳", "yang"), ("景", "jing"), ("清", "qing"),
    ("桥", "qiao"), ("溪", "xi"), ("滨", "bin"), ("湖", "hu"), ("枫", "feng"), ("晨", "chen"),
    ("光", "guang"), ("福", "fu"), ("祥", "xiang"), ("润", "run"), ("松", "song"), ("柏", "bai"),
    ("岚", "lan"), ("荷", "he"), ("源", "yuan"), ("宜", "yi"), ("昌", "chang"), ("德", "de"),
    ("新", "xin"), ("凌", "ling"), ("曦", "xi"), ("锦", "jin"), ("绣", "xiu"), ("望", "wang"),
    ("川", "chuan"), ("虹", "hong"), ("汇", "hui"), ("盛", "sheng"), ("恒", "heng"), ("鹏", "peng"),
    ("茂", "mao"), ("雅", "ya"), ("静", "jing"), ("怡", "yi"), ("翠", "cui"),
)  # fmt: skip


@dataclass(frozen=True)
class Name:
    zh: str
    en: str


class NameBook:
    """Hands out unique two-character stems; each call draws from ``rng``."""

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set()

    def stem(self) -> Name:
        for _ in range(10_000):
            i, j = self.rng.integers(0, len(SYLLABLES), size=2)
            if i == j:
                continue
            zh = SYLLABLES[i][0] + SYLLABLES[j][0]
            second = SYLLABLES[j][1]
            en = (SYLLABLES[i][1] + ("'" if second[0] in "aoe" else "") + second).capitalize()
            if zh in self.used or en in self.used:
                continue
            self.used.update((zh, en))
            return Name(zh, en)
        raise RuntimeError("ran out of name stems")  # pragma: no cover - thousands of stems exist

    def pick(self, options):
        return options[int(self.rng.integers(0, len(options)))]


def subdistrict_name(book: NameBook, town: bool) -> Name:
    stem = book.stem()
    if town:
        return Name(f"{stem.zh}镇", f"{stem.en} Town")
    return Name(f"{stem.zh}路街道", f"{stem.en} Road Subdistrict")


def grid_name(parent: Name, number: int) -> Name:
    short = parent.zh.removesuffix("街道")
    return Name(f"{short}第{number}网格", f"{parent.en.removesuffix(' Subdistrict')} Grid {number}")


RESIDENTIAL_SUFFIXES = (
    ("小区", "Estate"),
    ("苑", "Court"),
    ("新村", "New Village"),
    ("花园", "Garden"),
    ("公寓", "Apartments"),
    ("里", "Lane"),
)


def residential_name(book: NameBook) -> Name:
    stem = book.stem()
    zh, en = book.pick(RESIDENTIAL_SUFFIXES)
    return Name(stem.zh + zh, f"{stem.en} {en}")


PARK_SUFFIXES = (("科技园", "Tech Park"), ("创意产业园", "Creative Industry Park"), ("商务园", "Business Park"))


def park_name(book: NameBook) -> Name:
    stem = book.stem()
    zh, en = book.pick(PARK_SUFFIXES)
    return Name(stem.zh + zh, f"{stem.en} {en}")


def metro_name(book: NameBook, line: int) -> Name:
    stem = book.stem()
    return Name(f"地铁{line}号线{stem.zh}路站", f"Metro Line {line} {stem.en} Road Station")


SCHOOL_KINDS = (("小学", "Primary School"), ("中学", "Middle School"), ("幼儿园", "Kindergarten"))
SHOP_KINDS = (
    ("便利店", "Convenience Store"),
    ("餐馆", "Restaurant"),
    ("药房", "Pharmacy"),
    ("五金店", "Hardware Store"),
    ("理发店", "Hair Salon"),
    ("水果店", "Fruit Shop"),
    ("面馆", "Noodle House"),
    ("洗衣店", "Laundry"),
)
SENSOR_KINDS = (
    ("water_level", "积水监测点", "Water level sensor site"),
    ("manhole", "井盖监测点", "Manhole cover sensor site"),
    ("drain_pipe", "排水管网监测点", "Drainage pipe sensor site"),
)
