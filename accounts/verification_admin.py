"""Admin for provider verification: the queue of applications and the decision actions.

Kept apart from admin.py, which imports the pieces ServiceProviderProfileAdmin uses.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Case, Count, Value, When
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core.admin_inlines import ReadOnlyInline

from . import services
from .forms import RejectionReasonForm
from .models import (
    VerificationApplication,
    VerificationDecision,
    VerificationDocument,
    VerificationStatus,
)


class VerificationDecisionActions:
    """Approve or reject one or many from a changelist, always through decide_verification.

    The service records who, when and why, settles a pending application, shows or hides
    the provider's services and notifies them. Rejecting first asks for the reason.
    """

    reason_template = "admin/accounts/decision_with_reason.html"

    def decision_targets(self, queryset):
        """(provider, application or None) for each selected row."""
        raise NotImplementedError

    def decide_selected(self, request, queryset, status, reason=""):
        decided, refused = [], []
        for provider, application in self.decision_targets(queryset):
            try:
                services.decide_verification(
                    provider=provider,
                    status=status,
                    by=request.user,
                    reason=reason,
                    application=application,
                )
            except services.AccountError as exc:
                refused.append(f"{provider}: {exc}")
            else:
                decided.append(str(provider))
        verb = "Verified" if status == VerificationStatus.VERIFIED else "Rejected"
        if decided:
            self.message_user(request, f"{verb} {', '.join(decided)}.", messages.SUCCESS)
        for refusal in refused:
            self.message_user(request, f"Nothing changed for {refusal}", messages.WARNING)

    def reject_with_reason(self, request, queryset, *, title):
        return self.decide_with_reason(
            request,
            queryset,
            VerificationStatus.REJECTED,
            title=title,
            form_class=RejectionReasonForm,
            confirm="confirm_rejection",
            decision_class="rejection",
            intro="Each provider below is rejected (or loses their verification), their services "
            "leave search at once, and they are told the reason by email and on their dashboard.",
            submit_label="Reject with this reason",
        )

    def decide_with_reason(
        self,
        request,
        queryset,
        status,
        *,
        title,
        form_class,
        confirm,
        decision_class,
        intro,
        submit_label,
    ):
        """Ask for the reason on a confirmation page (posting `confirm` back), then decide."""
        form = form_class(request.POST if confirm in request.POST else None)
        if form.is_valid():
            self.decide_selected(request, queryset, status, form.cleaned_data["reason"])
            return None  # back to the changelist, with the messages
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "confirm": confirm,
            "decision_class": decision_class,
            "intro": intro,
            "submit_label": submit_label,
        }
        return TemplateResponse(request, self.reason_template, context)


def document_links(document):
    """Download link (and a preview for images) through the access-checked view."""
    url = document.get_absolute_url()
    link = format_html('<a href="{}">Download {}</a>', url, document.original_name)
    if document.content_type.startswith("image/"):
        # An <img> ignores Content-Disposition, so the same view previews images.
        return format_html('{}<br><img src="{}" alt="" width="320" loading="lazy">', link, url)
    return link


class VerificationDocumentInline(ReadOnlyInline):
    model = VerificationDocument
    fields = ["kind", "content_type", "file_size", "document"]
    readonly_fields = fields

    @admin.display(description="Size")
    def file_size(self, document):
        return filesizeformat(document.size)

    @admin.display(description="Document")
    def document(self, document):
        return document_links(document)


class VerificationApplicationInline(ReadOnlyInline):
    model = VerificationApplication
    fields = ["submitted_at", "status", "decided_by", "decided_at", "reason"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = "Verification applications (newest first)"


class VerificationDecisionInline(ReadOnlyInline):
    model = VerificationDecision
    fk_name = "provider"
    fields = ["decided_at", "status", "decided_by", "reason", "application"]
    readonly_fields = fields
    verbose_name_plural = "Verification decisions (newest first)"


@admin.register(VerificationApplication)
class VerificationApplicationAdmin(VerificationDecisionActions, admin.ModelAdmin):
    """The verification queue: pending applications first, the oldest at the top."""

    list_display = [
        "provider",
        "submitted_at",
        "status",
        "document_count",
        "licence_number",
        "insurance_expires_on",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status", "submitted_at", "decided_at", "provider__cities"]
    search_fields = ["provider__business_name", "provider__user__email", "licence_number"]
    list_select_related = ["provider__user", "decided_by"]
    ordering = [
        Case(When(status=VerificationStatus.PENDING, then=Value(0)), default=Value(1)),
        "submitted_at",
    ]
    fields = [
        "provider_link",
        "submitted_at",
        "statement",
        "licence_number",
        "insurance_expires_on",
        "status",
        "decided_by",
        "decided_at",
        "reason",
    ]
    readonly_fields = fields
    inlines = [VerificationDocumentInline]
    actions = ["approve", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_total=Count("documents"))

    def has_add_permission(self, request):
        return False  # providers apply from their dashboard

    def has_delete_permission(self, request, obj=None):
        return False  # the history is kept

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing here is edited: decisions are taken with the actions of the list.
        extra_context = {
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Documents", ordering="document_total")
    def document_count(self, application):
        return application.document_total

    @admin.display(description="Provider")
    def provider_link(self, application):
        url = reverse(
            "admin:accounts_serviceproviderprofile_change", args=[application.provider_id]
        )
        return format_html(
            '<a href="{}">{}</a> ({})', url, application.provider, application.provider.user.email
        )

    def decision_targets(self, queryset):
        return [(application.provider, application) for application in queryset]

    @admin.action(description="Approve selected applications", permissions=["change"])
    def approve(self, request, queryset):
        self.decide_selected(request, queryset, VerificationStatus.VERIFIED)

    @admin.action(description="Reject selected applications with a reason…", permissions=["change"])
    def reject(self, request, queryset):
        return self.reject_with_reason(request, queryset, title="Reject applications")
