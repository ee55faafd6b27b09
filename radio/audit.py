"""Writing the audit log: every change a person makes goes through `record`."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from .models import Area, AuditLog, User


def values(
    actor: User | None,
    action: str,
    obj_type: str,
    key: str,
    *,
    at: datetime,
    area_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> dict:
    """One audit row's column values: what `record` adds as a record, and what a writer of
    thousands of rows (the plan import) inserts in bulk. `at` is the request's or command's
    instant, as the change's other timestamps."""
    return {"at": at, "user_id": actor.id if actor else None, "actor": actor.username if actor else "system",
            "action": action, "object_type": obj_type, "object_key": str(key), "area_id": area_id,
            "before": before, "after": after}


def record(
    session: Session,
    actor: User | None,
    action: str,
    obj_type: str,
    key: str,
    *,
    at: datetime,
    area: Area | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditLog:
    row = AuditLog(**values(actor, action, obj_type, key, at=at, area_id=area.id if area else None,
                            before=before, after=after))
    session.add(row)
    return row
