"""Frequency requirements: what must be aired, where, and how often per period."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, CodeList
from .content import Series
from .plans import Plan
from .stations import Station

requirement_stations = Table(
    "requirement_stations",
    Base.metadata,
    Column("requirement_id", ForeignKey("requirements.id"), primary_key=True),
    Column("station_id", ForeignKey("stations.id"), primary_key=True),
)

requirement_areas = Table(
    "requirement_areas",
    Base.metadata,
    Column("requirement_id", ForeignKey("requirements.id"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)


class Requirement(Base):
    __tablename__ = "requirements"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    code: Mapped[str] = mapped_column(String(64))
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id"))
    period: Mapped[str] = mapped_column(String(16))
    min_airings: Mapped[int]
    max_airings: Mapped[int | None]
    new_episodes: Mapped[int] = mapped_column(default=0)
    days: Mapped[tuple[str, ...]] = mapped_column(CodeList)
    windows: Mapped[tuple[str, ...]] = mapped_column(CodeList, default=())
    levels: Mapped[tuple[str, ...]] = mapped_column(CodeList, default=())
    duration_min: Mapped[int | None]
    duration_max: Mapped[int | None]
    min_gap_days: Mapped[int] = mapped_column(default=1)
    date_from: Mapped[date]
    date_to: Mapped[date]
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    report_due: Mapped[date | None]

    plan: Mapped[Plan] = relationship()
    series: Mapped[Series] = relationship()
    stations: Mapped[list[Station]] = relationship(secondary=requirement_stations, order_by=Station.code)
    areas: Mapped[list[Area]] = relationship(secondary=requirement_areas, order_by=Area.code)
