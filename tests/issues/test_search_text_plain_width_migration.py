"""Items saved before their search text read 全角 digits and letters as plain ones are rewritten
(issues.0036), and only they: afterwards 3号楼 finds an item written ３号楼."""

from importlib import import_module

from django.apps import apps
from django.db import connection

from issues.filters import search_issues
from issues.models.issue import Issue
from tests.factories import IssueFactory

migration = import_module("issues.migrations.0036_search_text_plain_width")


class Editor:
    connection = connection


def test_it_rewrites_the_search_text_of_items_saved_in_full_width(community):
    old = IssueFactory(community=community, text="３号楼２单元ＡＢ门漏水")
    plain = IssueFactory(community=community, text="5号楼门口堆物")
    # As the old save() stored it: the text as typed.
    Issue.objects.filter(pk=old.pk).update(search_text=f"{old.code} ３号楼２单元ＡＢ门漏水")
    Issue.objects.filter(pk=plain.pk).update(search_text=f"{plain.code} 5号楼门口堆物")
    found = search_issues(Issue.objects.in_community(community), "3号楼")
    assert list(found) == []

    migration.plain_width(apps, Editor())

    old.refresh_from_db()
    plain.refresh_from_db()
    assert old.search_text == f"{old.code} 3号楼2单元AB门漏水"
    assert plain.search_text == f"{plain.code} 5号楼门口堆物"
    assert list(search_issues(Issue.objects.in_community(community), "3号楼")) == [old]
    assert old.text == "３号楼２单元ＡＢ门漏水"  # what was written stays as written
