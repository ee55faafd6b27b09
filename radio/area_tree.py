"""Walking the area tree in the database: one recursive query instead of a query per level."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .models import Area


def ancestors_and_self(area_id) -> Select:
    """SELECT of the area's id and every id above it: what a bulletin for "this area or any
    area containing it" is matched against. `area_id` may be a column or a value."""
    chain = select(Area.id, Area.parent_id).where(Area.id == area_id).cte("chain", recursive=True)
    chain = chain.union_all(select(Area.id, Area.parent_id).where(Area.id == chain.c.parent_id))
    return select(chain.c.id)


def subtree_ids(session: Session, roots: Iterable[int]) -> set[int]:
    """The roots and every area below them."""
    roots = list(roots)
    if not roots:
        return set()
    tree = select(Area.id).where(Area.id.in_(roots)).cte("tree", recursive=True)
    tree = tree.union_all(select(Area.id).where(Area.parent_id == tree.c.id))
    return set(session.scalars(select(tree.c.id)))
