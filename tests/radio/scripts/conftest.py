"""The scripts tests' people: a writer in a commune, an approver of its district, and an approver
of another district."""
import pytest

from tests.factories import create_area, create_plan, create_series, create_user


@pytest.fixture
def people(db):
    district = create_area(db, "D1", "district")
    commune = create_area(db, "C1", "commune", district)
    series = create_series(db, create_plan(db, commune, "kh-c1"))
    return {
        "series": series,
        "writer": create_user(db, "viet", "operator", commune),
        "approver": create_user(db, "duyet", "approver", district),
        "outsider": create_user(db, "ngoai", "approver", create_area(db, "D2", "district")),
    }
