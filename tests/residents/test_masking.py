"""Mobile and ID numbers in free text are masked however they are spelled; nothing else is."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from residents import masking
from residents.masking import mask_numbers_in_text

FULL_WIDTH = str.maketrans("0123456789X+", "０１２３４５６７８９Ｘ＋")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("13800138000", "138****8000"),
        ("138 0013 8000", "138 **** 8000"),
        ("138-0013-8000", "138-****-8000"),
        ("+86 13800138000", "+86 138****8000"),
        ("+86-138-0013-8000", "+86-138-****-8000"),
        ("8613800138000", "86138****8000"),
        ("１３８００１３８０００", "１３８****８０００"),
        ("138－0013－8000", "138－****－8000"),
    ],
)
def test_it_masks_a_mobile_however_it_is_spelled(typed, shown):
    assert mask_numbers_in_text(f"王阿姨电话{typed}，请回电") == f"王阿姨电话{shown}，请回电"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("110101199001011234", "110***********1234"),
        ("11010519491231002X", "110***********002X"),
        ("11010519491231002x", "110***********002x"),
        ("110101 19900101 1234", "110*** ******** 1234"),
        ("110101-19900101-123X", "110***-********-123X"),
        ("１１０１０１１９９００１０１１２３Ｘ", "１１０***********１２３Ｘ"),
    ],
)
def test_it_masks_an_id_number_however_it_is_spelled(typed, shown):
    assert mask_numbers_in_text(f"身份证号{typed}。") == f"身份证号{shown}。"


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-01 13:00 在3-2-501开会",
        "编号MQ20261201-001，12345工单2026113000001",
        "工单号2026120113800138001",
        "补贴金额15000元，共计1380013800元",
        "3号楼2单元501室，5-2-301 陈姐",
        "电话010-6512 3456",
        "12345热线 2026年12月1日",
        "订单202612011234567890",
    ],
)
def test_it_leaves_dates_case_numbers_amounts_and_rooms_alone(text):
    assert mask_numbers_in_text(text) == text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("110105710923123", "110********3123"),
        ("110105 710923 123", "110*** *****3 123"),
        ("110105-710923-123", "110***-*****3-123"),
        ("110105－710923－123", "110***－*****3－123"),
        ("110105\u3000710923\u3000123", "110***\u3000*****3\u3000123"),
        ("１１０１０５７１０９２３１２３", "１１０********３１２３"),
        ("１１０１０５ ７１０９２３ １２３", "１１０*** *****３ １２３"),
    ],
)
def test_it_masks_a_first_generation_id_number_however_it_is_spelled(typed, shown):
    """Fifteen digits from before 1999 (area, YYMMDD, sequence; no check digit), as old paper records have them."""
    assert mask_numbers_in_text(f"身份证号{typed}。") == f"身份证号{shown}。"


def test_it_masks_a_first_generation_id_number_among_chinese_words():
    text = "老户籍本上身份证110105710923123，电话13800138000，住3-2-501"
    assert mask_numbers_in_text(text) == "老户籍本上身份证110********3123，电话138****8000，住3-2-501"


@pytest.mark.parametrize(
    "text",
    [
        "1101057109231234",  # sixteen digits
        "01101057109231234",
        "110105710923123X",  # fifteen digits and a check letter: neither form
        "A110105710923123",
        "110105710923123b",
        "卡号6222110105710923123",
        "110105 710923 1234",
        "110105-710923-12345",
    ],
)
def test_it_leaves_fifteen_digits_inside_a_longer_run_alone(text):
    assert mask_numbers_in_text(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "110105711323123",  # month 13
        "110105710023123",  # month 00
        "110105710900123",  # day 00
        "110105710932123",  # day 32
        "910105710923123",  # area code beginning with 9
        "010105710923123",  # area code beginning with 0
        "202611301200001",  # a fifteen-digit case number
        "工单号202612011234567",
        "合计金额100000000000000元",
        "时间 202612011300001",
        # A date where the birth date would be: only a province's area code tells these apart.
        "工单号202612010115001",
        "时间202612071015301",
        "订单 202612 011207 123",
        "100071 260101 123",  # a postcode, then two numbers
        "IMEI 861234051201234",
        "910105 710923 123",
    ],
)
def test_it_leaves_fifteen_digits_that_are_no_first_generation_id_number_alone(text):
    assert mask_numbers_in_text(text) == text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("110101200101011234", "110***********1234"),
        ("110101 20010101 1234", "110*** ******** 1234"),
        ("110101-20010101-123X", "110***-********-123X"),
        ("110101 200101011234", "110*** ********1234"),
    ],
)
def test_an_eighteen_character_id_number_is_not_read_as_a_first_generation_one(typed, shown):
    """Its first fifteen digits read as area, 200101 and a sequence too: the whole number is masked, once."""
    assert mask_numbers_in_text(f"身份证号{typed}。") == f"身份证号{shown}。"


def test_a_first_generation_id_number_that_begins_like_a_mobile_is_masked_as_an_id_number():
    """Its first eleven digits read like a mobile (139 0128 0010): the whole number is an ID number, masked
    as one, and IDs are read before mobiles."""
    assert mask_numbers_in_text("139012800101123") == "139********1123"
    assert mask_numbers_in_text("139012 800101 123") == "139*** *****1 123"


def test_it_masks_a_mobile_and_an_id_number_in_the_same_text():
    text = "张三 110101199001011234 13800138000"
    assert mask_numbers_in_text(text) == "张三 110***********1234 138****8000"


def test_it_answers_empty_text_for_none():
    assert mask_numbers_in_text(None) == ""


# --- properties ------------------------------------------------------------------------------

chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), max_size=12)
separator = st.sampled_from(["", " ", "-", "－", "\u3000", " - "])


@st.composite
def mobiles(draw):
    digits = draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    number = "1" + digits
    sep = draw(separator)
    typed = f"{number[:3]}{sep}{number[3:7]}{sep}{number[7:]}"
    prefix = draw(st.sampled_from(["", "+86 ", "+86-", "+86"]))
    typed = prefix + typed
    if draw(st.booleans()):
        typed = typed.translate(FULL_WIDTH)
    return number, "86" if prefix else "", typed


@st.composite
def id_numbers(draw):
    area = draw(st.sampled_from("12345678")) + draw(st.text("0123456789", min_size=5, max_size=5))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
    rest = draw(st.text("0123456789", min_size=3, max_size=3)) + draw(st.sampled_from("0123456789Xx"))
    number = f"{area}{born:%Y%m%d}{rest}"
    sep = draw(st.sampled_from(["", " ", "-"]))
    typed = f"{area}{sep}{born:%Y%m%d}{sep}{rest}"
    if draw(st.booleans()):
        typed = typed.translate(FULL_WIDTH)
    return number, typed


#: The provinces' first two digits of an area code (北京 11 … 新疆 65, 台湾 71, 香港 81 …).
PROVINCES = [
    *range(11, 16),
    *range(21, 24),
    *range(31, 38),
    *range(41, 47),
    *range(50, 55),
    *range(61, 66),
    71,
    81,
    82,
    83,
]


@st.composite
def first_generation_id_numbers(draw):
    area = str(draw(st.sampled_from(PROVINCES))) + draw(st.text("0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)))
    sequence = draw(st.text("0123456789", min_size=3, max_size=3))
    number = f"{area}{born:%y%m%d}{sequence}"
    sep = draw(separator)
    typed = f"{area}{sep}{born:%y%m%d}{sep}{sequence}"
    if draw(st.booleans()):
        typed = typed.translate(FULL_WIDTH)
    return number, typed


def digits_of(text):
    folded = text.translate(str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx"))
    return "".join(ch for ch in folded if ch.isdigit() or ch in "Xx")


@settings(max_examples=300, deadline=None)
@given(before=chinese, after=chinese, mobile=mobiles())
def test_it_always_masks_a_generated_mobile_inside_chinese_text(before, after, mobile):
    number, prefix, typed = mobile
    masked = mask_numbers_in_text(f"{before}{typed}{after}")
    assert (digits_of(masked), masked.count("*")) == (prefix + number[:3] + number[7:], 4)


@settings(max_examples=300, deadline=None)
@given(before=chinese, after=chinese, id_number=id_numbers())
def test_it_always_masks_a_generated_id_number_inside_chinese_text(before, after, id_number):
    number, typed = id_number
    masked = mask_numbers_in_text(f"{before}{typed}{after}")
    assert (digits_of(masked), masked.count("*")) == (number[:3] + number[-4:], 11)


@settings(max_examples=300, deadline=None)
@given(before=chinese, after=chinese, id_number=first_generation_id_numbers())
def test_it_always_masks_a_generated_first_generation_id_number_inside_chinese_text(before, after, id_number):
    number, typed = id_number
    masked = mask_numbers_in_text(f"{before}{typed}{after}")
    assert (digits_of(masked), masked.count("*")) == (number[:3] + number[-4:], 8)


short_numbers = st.text("0123456789", min_size=1, max_size=10)
SEPARATING_WORDS = ["号楼", "单元", "室", "年", "月", "日", "元", "MQ", "：", "，", "/", ".", ":"]
words = st.one_of(chinese.filter(bool), st.sampled_from(SEPARATING_WORDS))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(words, short_numbers), max_size=8))
def test_it_leaves_text_without_an_eleven_digit_run_unchanged(pieces):
    text = "".join(f"{word}{number}" for word, number in pieces)
    assert mask_numbers_in_text(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789０１２３４５６７８９ -－+Xx号楼室电话", max_size=40))
def test_a_text_too_short_of_digits_for_a_number_is_left_as_the_patterns_would(text):
    """The shortcut for texts with fewer than eleven digits gives what the patterns give."""
    assert mask_numbers_in_text(text) == masking._mask(
        masking.PHONE_IN_TEXT_RE, masking._mask(masking.ID_IN_TEXT_RE, text)
    )


def test_eleven_digits_among_other_characters_are_still_read():
    assert mask_numbers_in_text("3号楼2单元 电话１３８ 0013 8000") == "3号楼2单元 电话１３８ **** 8000"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("楼道灯不亮，我电话139 1234 5678", "13912345678"),
        ("请回电＋86 １３８－００１３－８０００谢谢", "13800138000"),
        ("3-2-501漏水，2026-11-30发现", ""),
        ("", ""),
    ],
)
def test_it_finds_the_mobile_a_message_asks_to_be_called_on(text, number):
    assert masking.phone_in_text(text) == number
