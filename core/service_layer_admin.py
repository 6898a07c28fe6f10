"""A Django admin whose writes are service calls; domain-free (it knows only DomainError)."""

from django.contrib import admin, messages
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from core.errors import DomainError
from core.forms import add_domain_error


class ServiceLayerAdmin(admin.ModelAdmin):
    """An admin whose writes are service calls (in save_model, delete_model, delete_queryset
    and its actions), so Django admin keeps every rule the site keeps.

    A service that refuses raises a DomainError and has written nothing. The admin's form,
    delete and action requests each run in one transaction, so what else the request wrote
    (a log entry, an earlier service call) is rolled back too, and the person is told why:
    beside the field on the form they sent, as an error message after a delete or an action.
    The catalog's, booking's and reviews' admins use it.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refusal:
            # Nothing was saved: show the form again as it was sent, with the refusal on it.
            request.service_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "service_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                add_domain_error(self, refusal)
                return cleaned_data

        return RefusedForm

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            opts = self.opts
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id])
            )

    def changelist_view(self, request, extra_context=None):
        if request.method != "POST":
            return super().changelist_view(request, extra_context)
        # An action (the bulk delete too) is all or nothing, log entries included.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().changelist_view(request, extra_context)
        except DomainError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
