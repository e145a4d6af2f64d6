"""The 常用答复 form speaks Chinese: its category field is labelled 问题分类."""

import re

from django.urls import reverse


def test_it_labels_the_category_of_a_response_template_in_chinese(staff_client):
    body = staff_client.get(reverse("issues:template_list")).content.decode()
    label = re.search(r'<label[^>]*for="id_category"[^>]*>(.*?)</label>', body, re.S)
    assert label.group(1).split()[0] == "问题分类"
