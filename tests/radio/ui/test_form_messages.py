"""Every refusal a form field can give is said in the page's words: a validator without its own
message shows WTForms' English (it has no Vietnamese catalog), e.g. "Field cannot be longer than
64 characters." on the login page."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField


def _forms(cls=FlaskForm):
    for sub in cls.__subclasses__():
        yield sub
        yield from _forms(sub)


def _validators(field: UnboundField) -> list:
    return list(field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else []))


def test_every_validator_of_every_form_has_its_own_message(app):
    forms = [form for form in _forms() if form.__module__.startswith("radio.")]
    assert len(forms) > 20  # the app's forms were imported
    with app.test_request_context():  # a few forms' arguments are read per request
        silent = sorted(f"{form.__module__}.{form.__name__}.{name}: {type(validator).__name__}"
                        for form in forms for name, field in vars(form).items() if isinstance(field, UnboundField)
                        for validator in _validators(field) if getattr(validator, "message", "") is None)
    assert silent == []

