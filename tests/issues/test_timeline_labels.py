"""The timeline names each entry by what it is: the first report is not a repeat."""

from django.urls import reverse

from issues import services
from issues.models.choices import IssueChannel


def timeline_of(client, issue) -> str:
    page = client.get(reverse("issues:issue_detail", args=[issue.pk])).content.decode()
    return page[page.index('id="timeline"') :]


def test_it_labels_the_first_report_of_a_new_item_as_the_first_report(staff_client, log):
    timeline = timeline_of(staff_client, log())
    assert "首次反映" in timeline
    assert "重复反映" not in timeline


def test_it_labels_a_second_report_as_a_repeat(staff_client, log, secretary, now):
    issue = log()
    services.add_report(issue, by=secretary, now=now, text="又有人遛狗", channel=IssueChannel.PHONE)
    timeline = timeline_of(staff_client, issue)
    assert timeline.count("首次反映") == 1
    assert timeline.count("重复反映") == 1
