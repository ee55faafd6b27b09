"""The main menu: each area of the pages adds its own entries, shown to users whose roles use them.

A registry rather than links written into base.html, so that an area (the culture-office pages,
say) adds its menu entries from its own code without editing the shared layout.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, request
from flask_login import current_user

EXTENSION = "radio.nav"


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string, translated when shown
    roles: tuple[str, ...]  # shown to holders of any of these roles (admins see everything)
    active_prefix: str = ""  # the item is marked current on paths starting with this


def register_nav(app: Flask, *items: NavItem) -> None:
    app.extensions.setdefault(EXTENSION, []).extend(items)


def visible_items() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    held = {grant.role for grant in current_user.grants}
    return [item for item in current_app.extensions.get(EXTENSION, [])
            if "admin" in held or held & set(item.roles)]


def is_current(item: NavItem) -> bool:
    """The item whose prefix matches the path longest is the current one (/scripts/queue is not /scripts/)."""
    matching = [i.active_prefix for i in visible_items() if i.active_prefix and request.path.startswith(i.active_prefix)]
    return bool(matching) and item.active_prefix == max(matching, key=len)


def init_app(app: Flask) -> None:
    app.extensions.setdefault(EXTENSION, [])
    app.jinja_env.globals.update(nav_items=visible_items, nav_is_current=is_current)
