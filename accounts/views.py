from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import InvalidInput
from core.forms import add_domain_error

from . import selectors, services
from .decorators import provider_required
from .forms import ProfileForm, ProviderProfileForm, UserDetailsForm, VerificationApplicationForm
from .models import UserProfile


@login_required
def dashboard(request):
    return render(request, "accounts/dashboard.html")


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    profile, _ = UserProfile.objects.get_or_create(user=request.user)
    user_form = UserDetailsForm(request.POST or None, instance=request.user, prefix="user")
    profile_form = ProfileForm(
        request.POST or None, request.FILES or None, instance=profile, prefix="profile"
    )
    if request.method == "POST" and user_form.is_valid() and profile_form.is_valid():
        services.update_profile(
            user=request.user,
            user_fields=user_form.cleaned_data,
            profile_fields=profile_form.cleaned_data,
        )
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html", {"user_form": user_form, "profile_form": profile_form}
    )


@provider_required
@require_http_methods(["GET", "POST"])
def edit_provider_profile(request):
    profile = request.user.provider_profile
    form = ProviderProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        cities = data.pop("cities")
        services.update_provider_profile(user=request.user, fields=data, cities=cities)
        messages.success(request, "Your business profile is saved.")
        return redirect("accounts:provider_profile")
    return render(request, "accounts/provider_profile.html", {"form": form, "profile": profile})


@provider_required
@require_http_methods(["GET", "POST"])
def verification(request):
    provider = request.user.provider_profile
    form = VerificationApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_verification_application(user=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            add_domain_error(form, exc)
        except services.AccountError as exc:
            messages.error(request, exc.message)
            return redirect("accounts:verification")
        else:
            messages.success(
                request, "Your application is sent. We will email you when an admin has decided."
            )
            return redirect("accounts:verification")
    return render(
        request,
        "accounts/verification.html",
        {"profile": provider, "overview": selectors.verification_overview(provider), "form": form},
    )


@login_required
@require_GET
def verification_document(request, pk):
    """A verification document, as a download, to its provider and to admins; 404 to anyone else."""
    document = get_object_or_404(selectors.downloadable_documents(request.user), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file of this document is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
