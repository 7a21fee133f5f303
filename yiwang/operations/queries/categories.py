"""The category tree and the hotline's type-ahead."""

from __future__ import annotations

from django.db.models import Q

from ..catalog import query_tokens
from ..models import Category


def search_categories(text: str, *, limit: int = 20, leaves_only: bool = True) -> list[Category]:
    """Categories matching every word of ``text`` in Chinese, pinyin (full or initials) or English.

    Second-level categories first (those are what cases use), then by pillar and order.
    """
    tokens = query_tokens(text)
    if not tokens:
        return []
    qs = Category.objects.filter(active=True).select_related("parent")
    for token in tokens:
        qs = qs.filter(Q(search_text__contains=token) | Q(parent__search_text__contains=token))
    if leaves_only:
        qs = qs.exclude(children__active=True)
    return list(qs.distinct().order_by("pillar", "parent__position", "position", "code")[:limit])


def category_tree(*, active_only: bool = True) -> list[dict]:
    """``[{pillar, categories: [{category, children: [...]}]}]`` for pickers and the admin."""
    qs = Category.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    rows = list(qs.order_by("position", "code"))
    by_parent: dict = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    from ..models import Pillar

    tree = []
    for pillar in Pillar:
        tops = [c for c in by_parent.get(None, []) if c.pillar == pillar]
        tree.append(
            {"pillar": pillar, "categories": [{"category": c, "children": by_parent.get(c.pk, [])} for c in tops]}
        )
    return tree
