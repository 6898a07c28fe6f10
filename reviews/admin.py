from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from core.admin_inlines import ReadOnlyInline

from . import services
from .forms import ModerationForm
from .models import Review, ReviewModeration, ReviewReply


class ReviewReplyInline(admin.StackedInline):
    model = ReviewReply
    fields = ["text", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ReviewModerationInline(ReadOnlyInline):
    model = ReviewModeration
    fields = ["at", "action", "by", "reason"]
    readonly_fields = fields


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Read-only but for moderation: reviews are the customers' words. Hide and unhide go
    through reviews.services (with a reason), so the figures and the record follow."""

    list_display = [
        "title",
        "rating",
        "service",
        "provider",
        "customer",
        "created_at",
        "is_hidden",
    ]
    list_filter = ["is_hidden", "rating", "created_at"]
    search_fields = [
        "title",
        "comment",
        "customer__email",
        "provider__business_name",
        "booking__booking_reference",
    ]
    list_select_related = ["service", "provider__user", "customer"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    inlines = [ReviewReplyInline, ReviewModerationInline]
    actions = ["hide_reviews", "unhide_reviews"]
    fieldsets = [
        (None, {"fields": ["booking", "customer", "service", "provider", "created_at"]}),
        (
            "Review",
            {
                "fields": [
                    "rating",
                    "title",
                    "comment",
                    "quality_rating",
                    "punctuality_rating",
                    "professionalism_rating",
                    "value_rating",
                    "updated_at",
                ]
            },
        ),
        ("Moderation", {"fields": ["is_hidden", "hidden_reason", "hidden_by", "hidden_at"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Review._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # A review's page is for reading (no form to save around reviews.services); the
        # list's moderation actions, asked without a review, change it.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Deleting would bypass the figures and the record; hide the review instead.
        return False

    def _moderate(self, request, queryset, *, action, change, verb):
        """Ask for the reason on an intermediate page, then apply `change` to each review."""
        form = ModerationForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]
            done = 0
            for review in queryset:
                try:
                    change(review=review, by=request.user, reason=reason)
                except services.ReviewError as error:
                    self.message_user(
                        request, f"“{review.title}”: {error.message}", messages.WARNING
                    )
                else:
                    done += 1
                    self.log_change(request, review, f"{verb.capitalize()}: {reason}")
            if done:
                self.message_user(
                    request, f"{verb.capitalize()} {done} review(s).", messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Why are these reviews {verb}?",
            "opts": self.model._meta,
            "reviews": queryset.select_related("customer"),
            "form": form,
            "action": action,
            "verb": verb,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/reviews/review/moderate.html", context)

    @admin.action(description="Hide selected reviews (asks for a reason)", permissions=["change"])
    def hide_reviews(self, request, queryset):
        return self._moderate(
            request, queryset, action="hide_reviews", change=services.hide_review, verb="hidden"
        )

    @admin.action(
        description="Show selected reviews again (asks for a reason)", permissions=["change"]
    )
    def unhide_reviews(self, request, queryset):
        return self._moderate(
            request,
            queryset,
            action="unhide_reviews",
            change=services.unhide_review,
            verb="shown again",
        )
