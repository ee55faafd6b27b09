"""The notices a person was given, as the tests of the features' events read them.

Stand-in: reads the interim notices module's list (radio/notices/__init__.py); at merge it
reads the notices table instead, and `told` only hands over `notices_of` (each test is rolled back).
"""
from __future__ import annotations

import pytest

from radio import notices


def notices_of(user) -> list[tuple[str, str, dict]]:
    """(kind, about, values) of each notice `user` was given, oldest first."""
    return [(n.kind, n.about, n.values) for n in notices.stored() if n.recipient_id == user.id]


@pytest.fixture
def told(app):
    """`notices_of`, with no notice left from an earlier test (the interim list outlives the rollback)."""
    notices.stored().clear()
    return notices_of
