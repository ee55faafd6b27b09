"""Users and their roles, each role scoped to an area subtree."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .areas import Area
from .base import Base, NFCString, UTCDateTime

ROLES = ("admin", "oversight", "approver", "operator")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(NFCString(200))
    email: Mapped[str | None] = mapped_column(String(254))  # where notices go by e-mail
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when someone else chose the password (an admin's reset): the user must choose their own
    # before anything else (radio/accounts/password.py).
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", cascade="all, delete-orphan")

    # The four members Flask-Login asks of a user object.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def name(self) -> str:
        """How a person is named to others: their display name, else their username."""
        return self.display_name or self.username

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class RoleGrant(Base):
    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(16))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))

    user: Mapped[User] = relationship(back_populates="grants")
    area: Mapped[Area] = relationship()

    def __repr__(self) -> str:
        return f"<RoleGrant {self.role}@{self.area_id}>"
