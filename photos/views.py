"""The provider's photo pages: their own photo, and each service's photos."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import provider_required
from catalog.models import Service
from core.forms import add_domain_error

from . import conf, selectors, services
from .errors import PhotoError
from .forms import EditPhotoForm, PhotoForm


def _own_service(request, pk) -> Service:
    return get_object_or_404(Service, pk=pk, provider__user=request.user)


def _manage_page(request, *, service=None, add_form=None, edit_forms=None, status=200):
    profile = request.user.provider_profile
    photos = selectors.managed_photos(provider=profile, service_id=service.pk if service else None)
    edit_forms = edit_forms or {}
    limit = conf.MAX_PER_SERVICE if service else 1
    return render(
        request,
        "photos/manage.html",
        {
            "service": service,
            "profile": profile,
            "rows": [
                (photo, edit_forms.get(photo.pk) or EditPhotoForm(photo=photo)) for photo in photos
            ],
            "add_form": add_form or PhotoForm(),
            "limit": limit,
            "can_add": service is None or len(photos) < limit,
            "page_url": _page_url(service),
        },
        status=status,
    )


def _page_url(service) -> str:
    if service is None:
        return reverse("photos:profile_photo")
    return reverse("photos:service_photos", args=[service.pk])


def _add(request, service):
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_photo(
                user=request.user,
                service_id=service.pk if service else None,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except PhotoError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Photo saved. It shows on your pages in a moment.")
            return redirect(_page_url(service))
    return _manage_page(request, service=service, add_form=form, status=400)


@provider_required
@require_http_methods(["GET", "POST"])
def profile_photo(request):
    if request.method == "POST":
        return _add(request, None)
    return _manage_page(request)


@provider_required
@require_http_methods(["GET", "POST"])
def service_photos(request, pk):
    service = _own_service(request, pk)
    if request.method == "POST":
        return _add(request, service)
    return _manage_page(request, service=service)


def _own_photo(request, pk):
    try:
        return services.own_photo(user=request.user, photo_id=pk)
    except PhotoError as exc:
        raise Http404(exc.message) from None


@provider_required
@require_POST
def photo_edit(request, pk):
    photo = _own_photo(request, pk)
    form = EditPhotoForm(request.POST, request.FILES, photo=photo)
    if form.is_valid():
        try:
            services.update_photo(
                user=request.user,
                photo_id=photo.pk,
                alt_text=form.cleaned_data["alt_text"],
                upload=form.cleaned_data.get("image") or None,
            )
        except PhotoError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "Photo updated.")
            return redirect(_page_url(photo.service))
    return _manage_page(request, service=photo.service, edit_forms={photo.pk: form}, status=400)


@provider_required
@require_POST
def photo_move(request, pk):
    photo = _own_photo(request, pk)
    offset = -1 if request.POST.get("direction") == "earlier" else 1
    services.move_photo(user=request.user, photo_id=photo.pk, offset=offset)
    messages.success(request, "Order saved.")
    return redirect(_page_url(photo.service))


@provider_required
@require_POST
def photo_delete(request, pk):
    photo = _own_photo(request, pk)
    services.delete_photo(user=request.user, photo_id=photo.pk)
    messages.success(request, "Photo deleted.")
    return redirect(_page_url(photo.service))
