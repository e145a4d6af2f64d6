"""Pages of a list that grows with history (the 民情日记, the access records): counted only as far
as the pages people open, never the community's whole history on every opening."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Rows counted at most: past it a list says "1,000+", not a count of 80,000 rows.
COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts the filtered rows only up to ``cap + 1``: ``SELECT count(*) FROM (… LIMIT cap + 1)``
    reads at most that many index entries, where a plain count read every row of the community's
    years of history (100,000 items in make bench's busy community: 11 ms on every opening of the
    log). Past ``cap`` the count is a floor (``capped``: "1,000+"); the view makes the cap reach
    past the page asked for, so that page is whole and the next one is offered. ``cap=None``
    counts all (the "last" page needs the whole count)."""

    def __init__(self, object_list, per_page, *, cap: int | None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if self.cap is None:
            return super().count
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.count > self.cap


def page_asked(value: str | None) -> int | str:
    """The page number asked for (``?page=``), "last", or 1 for what is neither."""
    page = str(value or 1)
    if page == "last":
        return page
    return int(page) if page.isascii() and page.isdigit() and int(page) > 0 else 1


class PageInRangeMixin:
    """For a ListView: a page past the end shows the last page, and one that is not a number
    the first, as ``Paginator.get_page`` does for the lists a function draws (12345, partners).
    Django's ListView answered 404 (未找到) to a bookmark of page 5 of a list that has since
    shrunk, or to a page number edited by hand. "last" is still the last page."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        number = self.page_asked()
        page = paginator.get_page(paginator.num_pages if number == "last" else number)
        return paginator, page, page.object_list, page.has_other_pages()

    def page_asked(self) -> int | str:
        return page_asked(self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg))


class CappedCountMixin(PageInRangeMixin):
    """For a ListView over a community's history: its pages counted with CappedPaginator, the cap
    reaching past the page asked for (``count_cap`` at least)."""

    count_cap = COUNT_CAP

    def page_number(self) -> int | None:
        """The page asked for; None for "last" and a number past 9,999, which need the whole count."""
        number = self.page_asked()
        return number if number != "last" and number < 10_000 else None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        number = self.page_number()
        cap = max(self.count_cap, number * per_page) if number else None
        return CappedPaginator(
            queryset, per_page, cap=cap, orphans=orphans, allow_empty_first_page=allow_empty_first_page, **kwargs
        )
