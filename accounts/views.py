from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import services
from .decorators import provider_required
from .forms import ProfileForm, ProviderProfileForm, UserDetailsForm
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
