"""Showing a domain error (core/errors.py) on a page's form."""

from .errors import DomainError, InvalidInput


def add_domain_error(form, error: DomainError) -> None:
    """Put each message beside its field when the form has that field, else above the form,
    so the page re-renders with what the person typed and why it was refused."""
    if isinstance(error, InvalidInput):
        problems = error.errors.items()
    else:
        problems = [(error.field, [error.message])]
    for field, messages in problems:
        form.add_error(field if field in form.fields else None, messages)
