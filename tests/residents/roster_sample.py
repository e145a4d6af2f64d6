"""A realistic roster for the import: Chinese names, valid ID numbers, phones, buildings.

Used by the import tests and by `scripts/bench_import.py`; plain Python and openpyxl, no Django.
Households: the first person of a room is its head, then spouse, children, a parent or a
tenant; everyone's ID number carries the right check character and their birth date and sex.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook

HEADER = ["姓名", "楼号", "单元", "房间号", "性别", "出生日期", "身份证号", "电话", "人口类型", "与户主关系"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文单"  # noqa: E501
GIVEN = "秀英桂兰玉兰淑珍建国建华志强国华秀兰凤英丽娟海燕明亮晓东红梅婷婷子涵浩然梓萱一诺欣怡宇轩俊杰雅静文博嘉怡思远佳琪志伟春生德明玉珍家豪淑华"  # noqa: E501
BEIJING_AREAS = ["110101", "110102", "110105", "110106", "110107", "110108", "110111", "110114"]
PHONE_PREFIXES = ["130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "158", "186", "188", "189"]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_number(area: str, born: date, sequence: int, male: bool) -> str:
    """A mainland ID number: area, birth date, a sequence whose last digit is odd for men, check."""
    sequence = sequence % 500 * 2 + (1 if male else 0)
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.sample(GIVEN, rng.choice((1, 2, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _birth(rng: random.Random, oldest: int, youngest: int) -> date:
    return date(2026, 6, 30) - timedelta(days=rng.randint(youngest * 365, oldest * 365))


def sample_rows(count: int, *, seed: int = 15) -> list[list[str]]:
    """``count`` roster rows (without the header), households filling rooms building by building."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    sequence = 0
    rooms = ((b, u, f, r) for b in range(1, 100) for u in range(1, 5) for f in range(1, 19) for r in range(1, 5))
    while len(rows) < count:
        building, unit, floor, flat = next(rooms)
        place = [str(building), str(unit), f"{floor}{flat:02d}"]
        surname = rng.choice(SURNAMES)
        tenant = rng.random() < 0.12
        members = [("租户" if tenant else "户主", 25, 85)]
        if not tenant:
            members += rng.choice([[], [("配偶", 25, 85)], [("配偶", 30, 70), ("子女", 1, 30)], [("子女", 5, 40)]])
            if rng.random() < 0.15:
                members.append(("父母", 70, 95))
        for relation, youngest, oldest in members:
            if len(rows) == count:
                break
            male = rng.random() < 0.5
            born = _birth(rng, oldest, youngest)
            sequence += 1
            own_surname = surname if relation in ("户主", "子女") else None
            rows.append(
                [
                    _name(rng, own_surname),
                    *place,
                    "男" if male else "女",
                    born.isoformat(),
                    id_number(rng.choice(BEIJING_AREAS), born, sequence, male) if rng.random() < 0.9 else "",
                    rng.choice(PHONE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.85 else "",
                    "流动" if tenant else rng.choice(["户籍"] * 8 + ["常住非户籍"]),
                    relation,
                ]
            )
    return rows


def sample_workbook(rows: list[list[str]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("居民")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_sample(path: Path, count: int, *, seed: int = 15) -> Path:
    path.write_bytes(sample_workbook(sample_rows(count, seed=seed)))
    return path
