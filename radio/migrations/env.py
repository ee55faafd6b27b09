"""Alembic environment: run from `radio init-db` with a live connection, batch mode for SQLite."""
from alembic import context
from sqlalchemy.types import TypeDecorator

from radio.models import Base
from radio.schema import is_compared


def render_item(type_, obj, autogen_context):
    """Write our column types as their plain SQL types, so migrations never import the app."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl if not isinstance(obj.impl, type) else obj.impl()
        return autogen_context.opts["sqlalchemy_module_prefix"] + repr(impl)
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    render_item=render_item,
    include_object=is_compared,
)
with context.begin_transaction():
    context.run_migrations()
