"""A 温馨提醒 with a mobile or a flat written in Chinese numerals is refused as one in digits is;
ordinary text with numerals (一二三楼, 十二月三日, 三号楼, 三号楼二单元楼道) is not."""

import pytest
from django.core.exceptions import ValidationError

from activities.models import validate_no_personal_data

PHONES_IN_NUMERALS = [
    "有事请联系一三九一二三四五六七八",
    "电话：幺三九一二三四五六七八",
    "联系 一三九 一二三四 五六七八",
    "联系一三九-一二三四-五六七八",
    "请打一三八〇〇一三八〇〇〇",
    "请打１３９１２３４５６７８",
]
ORDINARY_NUMERALS = [
    "一二三楼的居民请注意",
    "十二月三日停水",
    "三号楼明天停水",
    "一年一度的消防演练，二〇二六年十二月五日上午九点",
    "请于一二月份之前缴费，三四五号楼除外",
    "三号楼二单元楼道灯维修",
    "十二号楼二单元明天停水",
]
FLATS_IN_NUMERALS = ["停水。有事找三号楼二单元五零一张大爷", "七号楼一二〇一室 请注意", "三-二-五零一门口的纸箱请搬走"]


@pytest.mark.parametrize("text", PHONES_IN_NUMERALS)
def test_it_refuses_a_notice_with_a_mobile_in_chinese_numerals(text):
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    assert refused.value.code == "personal_data" and "手机号" in str(refused.value)  # the digit phone's message


@pytest.mark.parametrize("text", ORDINARY_NUMERALS)
def test_it_accepts_a_notice_with_ordinary_chinese_numerals(text):
    validate_no_personal_data(text)


@pytest.mark.parametrize("text", FLATS_IN_NUMERALS)
def test_it_refuses_a_notice_that_names_a_flat_in_chinese_numerals(text):
    """A tester saved 三号楼二单元五零一 where 3号楼2单元501 was refused."""
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_data(text)
    assert "3号楼2单元501" in str(refused.value)  # the flat's message, not the phone's
