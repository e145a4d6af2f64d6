"""A label naming people (a 锦旗's giver) is masked person by person for the 街道 viewer: the place
and the family stay, the person is 王**."""

import pytest

from residents.masking import mask_name_in_label, names_in_label


@pytest.mark.parametrize(
    ("label", "masked"),
    [
        ("7号楼李先生", "7号楼李**"),
        ("3号楼王阿姨一家", "3号楼王**一家"),
        ("王秀英", "王**"),
        ("3号楼2单元501王阿姨和李先生", "3号楼2单元501王**和李**"),
        ("3-2-501的张大爷及家人", "3-2-501的张**及家人"),
        ("七号楼李先生全家", "七号楼李**全家"),
        ("3号楼全体居民", "3号楼全体居民"),
        ("", ""),
    ],
)
def test_it_masks_the_people_of_a_label_and_keeps_the_rest(label, masked):
    assert mask_name_in_label(label) == masked


@pytest.mark.parametrize(
    ("label", "masked"), [("李先生 13800138000", "李** 138****8000"), ("李先生13800138000", "李**138****8000")]
)
def test_it_masks_a_number_in_a_label_as_a_number(label, masked):
    assert mask_name_in_label(label) == masked


@pytest.mark.parametrize(
    ("label", "names"),
    [("7号楼李先生", ["李先生"]), ("3号楼王阿姨和李先生一家", ["王阿姨", "李先生"]), ("3号楼全体居民", [])],
)
def test_it_reads_the_people_a_label_names(label, names):
    assert names_in_label(label) == names
