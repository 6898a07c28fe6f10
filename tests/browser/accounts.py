"""Sign-up and log-in steps shared by the journeys, done the way a person does them."""

import re

from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD

# Django labels end with a colon; "Password (again)" must not match the first one.
PASSWORD_LABEL = re.compile(r"^Password:?$")
CONFIRMATION_LINK = re.compile(r"https?://[^\s\"'<>]+/accounts/confirm-email/[^\s\"'<>]+")


def log_in(page, email, password=PASSWORD):
    page.get_by_label("Email").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name="Log in").click()


def sign_up_and_confirm(page, *, email, first_name, last_name, role_label):
    """Sign up on the real allauth page, then follow the link of the email that was sent."""
    page.goto("/accounts/signup/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Email").fill(email)
    page.get_by_label(role_label).check()
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Verify your email address")).to_be_visible()

    # The live server runs in this process, so the locmem backend's outbox is the one it fills.
    sent = [message for message in mail.outbox if email in message.to]
    assert len(sent) == 1, [message.subject for message in mail.outbox]
    assert "Confirm" in sent[0].subject
    link = CONFIRMATION_LINK.search(sent[0].body)
    assert link is not None, sent[0].body
    page.goto(link.group(0))
    # With ACCOUNT_CONFIRM_EMAIL_ON_GET the link itself confirms; otherwise one button does.
    confirm = page.get_by_role("button", name="Confirm")
    if confirm.count():
        confirm.click()
