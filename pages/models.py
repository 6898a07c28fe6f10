from django.conf import settings
from django.db import models


class PageSlug(models.TextChoices):
    """The site's own pages whose text operators edit in Django admin."""

    HOW_IT_WORKS = "how-it-works", "How it works"
    HELP = "help", "Help and FAQ"
    ABOUT = "about", "About"
    TERMS = "terms", "Terms"
    PRIVACY = "privacy", "Privacy"
    BECOME_A_PROVIDER = "become-a-provider", "Become a provider"
    CONTACT = "contact", "Contact"


class Page(models.Model):
    """The editable text of one of the site's pages, written in Markdown.

    The page's URL, layout and forms stay in code; only the words are here, so an
    operator can fix a policy without a deploy. A missing row shows the shipped default
    (pages/defaults.py)."""

    slug = models.CharField(max_length=40, choices=PageSlug, unique=True)
    title = models.CharField(max_length=120)
    description = models.CharField(
        "meta description",
        max_length=200,
        help_text="One or two sentences shown by search engines and link previews.",
    )
    body = models.TextField(
        help_text=(
            "Markdown: ## for a heading, a blank line between paragraphs, - for a list, "
            "[text](https://…) for a link. HTML is removed when the page is shown."
        )
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.title


class ContactMessage(models.Model):
    """A message sent with the contact form; the team is told by email through the outbox."""

    name = models.CharField(max_length=100)
    email = models.EmailField()
    subject = models.CharField(max_length=150)
    message = models.TextField(max_length=5000)
    # Who was signed in when sending, if anyone; the address typed is what answers go to.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_messages",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["answered", "-created_at"], name="contact_open_idx")]

    def __str__(self):
        return f"{self.subject} ({self.email})"
