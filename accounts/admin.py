from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import services
from .forms import VerificationWithoutApplicationReasonForm, cities_within_limit
from .models import (
    STAFF_ROLES,
    City,
    Role,
    ServiceProviderProfile,
    User,
    UserProfile,
    VerificationStatus,
)
from .signals import provider_listing_changed
from .verification_admin import (
    VerificationApplicationInline,
    VerificationDecisionActions,
    VerificationDecisionInline,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name", "role")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class UserProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Admins manage customers and providers; only Superadmins manage Admins and Superadmins."""

    add_form = UserCreationForm
    form = UserEditForm
    inlines = [UserProfileInline]
    ordering = ["-date_joined"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name", "phone"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal info", {"fields": ["first_name", "last_name", "phone"]}),
        ("Role", {"fields": ["role", "is_active"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "first_name", "last_name", "role", "password1", "password2"],
            },
        ),
    ]

    def _manages_staff(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.role in STAFF_ROLES and not self._manages_staff(request):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.role in STAFF_ROLES and not self._manages_staff(request):
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not self._manages_staff(request):
            kwargs["choices"] = [(r.value, r.label) for r in Role if r not in STAFF_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if not self._manages_staff(request) and any(o.role in STAFF_ROLES for o in objs):
            perms_needed.add("Admin and Superadmin accounts")
        return deleted, model_count, perms_needed, protected

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.change_role(user=obj, role=obj.role)


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class GuardedEmailAddressAdmin(EmailAddressAdmin):
    """allauth's email addresses, where only Superadmins touch those of Admins and Superadmins.

    An address is the key to its account (password resets go to it): an Admin who could
    change or add one for a Superadmin could take that account over.
    """

    @staticmethod
    def _guarded(request, address):
        return (
            address is not None
            and address.user.role in STAFF_ROLES
            and not request.user.is_superuser
        )

    def has_change_permission(self, request, obj=None):
        return not self._guarded(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._guarded(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.exclude(role__in=STAFF_ROLES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(self._guarded(request, address) for address in objs):
            perms_needed.add("email addresses of Admins and Superadmins")
        return deleted, model_count, perms_needed, protected


class ProviderProfileAdminForm(forms.ModelForm):
    def clean_cities(self):
        return cities_within_limit(self.cleaned_data["cities"])

    class Meta:
        model = ServiceProviderProfile
        # Verification is decided with the actions below, through the service, never edited.
        fields = ["user", "business_name", "slug", "bio", "years_of_experience", "cities"]


@admin.register(ServiceProviderProfile)
class ServiceProviderProfileAdmin(VerificationDecisionActions, admin.ModelAdmin):
    form = ProviderProfileAdminForm
    inlines = [VerificationApplicationInline, VerificationDecisionInline]
    actions = ["verify", "verify_without_application", "reject"]
    list_display = [
        "display_name",
        "user",
        "verification_status",
        "rating_average",
        "review_count",
        "created_at",
    ]
    list_filter = ["verification_status", "cities"]
    search_fields = ["business_name", "user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["cities"]
    readonly_fields = [
        "verification_status",
        "verification_reason",
        "verification_decided_by",
        "verification_decided_at",
        "rating_average",
        "review_count",
        "completed_bookings_count",
        "created_at",
        "updated_at",
    ]

    def decision_targets(self, queryset):
        return [(provider, None) for provider in queryset]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The cities are saved here, after the profile: search and the city list follow them.
        provider_listing_changed.send(
            ServiceProviderProfile, provider=form.instance, verification_changed=False
        )

    @admin.action(description="Verify selected providers", permissions=["change"])
    def verify(self, request, queryset):
        self.decide_selected(request, queryset, VerificationStatus.VERIFIED)

    def has_verify_without_application_permission(self, request):
        # Only offered to Superadmins; decide_verification refuses anyone else all the same.
        return request.user.is_superuser and self.has_change_permission(request)

    @admin.action(
        description="Verify selected providers without an application, with a reason…",
        permissions=["verify_without_application"],
    )
    def verify_without_application(self, request, queryset):
        return self.decide_with_reason(
            request,
            queryset,
            VerificationStatus.VERIFIED,
            title="Verify providers without an application",
            form_class=VerificationWithoutApplicationReasonForm,
            confirm="confirm_verification",
            decision_class="without-application",
            intro="Each provider below is verified even without a pending application with its "
            "documents: their services join search at once and they are told by email and on "
            "their dashboard. Your reason is recorded with the decision, in their verification "
            "history.",
            submit_label="Verify with this reason",
        )

    @admin.action(
        description="Reject or revoke selected providers with a reason…", permissions=["change"]
    )
    def reject(self, request, queryset):
        return self.reject_with_reason(request, queryset, title="Reject or revoke providers")


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "state", "time_zone"]
    search_fields = ["name", "state"]
    prepopulated_fields = {"slug": ["name", "state"]}
