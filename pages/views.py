"""The pages around the product: how it works, help, policies, contact, becoming a
provider, the new customer's welcome, and a person's own data (export, deletion)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from catalog.forms import SearchForm
from core.errors import DomainError
from core.forms import add_domain_error
from core.ratelimit import RateLimitExceeded, client_ip, hit

from . import conf, privacy, selectors, services
from .forms import ContactForm, DeleteAccountForm
from .models import PageSlug


def _text_page(request, slug, template="pages/page.html", **context):
    return render(request, template, {"page": selectors.page_text(slug), **context})


@require_GET
def how_it_works(request):
    return _text_page(request, PageSlug.HOW_IT_WORKS)


@require_GET
def help_page(request):
    return _text_page(request, PageSlug.HELP)


@require_GET
def about(request):
    return _text_page(request, PageSlug.ABOUT)


@require_GET
def terms(request):
    return _text_page(request, PageSlug.TERMS)


@require_GET
def privacy_notice(request):
    return _text_page(request, PageSlug.PRIVACY)


@require_GET
def become_a_provider(request):
    return _text_page(request, PageSlug.BECOME_A_PROVIDER, "pages/become_a_provider.html")


def _count_contact(request) -> None:
    """One message against PAGES_CONTACT_RATE_LIMIT, per IP and per account if signed in."""
    rate = conf.CONTACT_RATE_LIMIT
    hit(request, scope="contact-ip", rate=rate, key=f"ip:{client_ip(request)}")
    if request.user.is_authenticated:
        hit(request, scope="contact-user", rate=rate, key=f"user:{request.user.pk}")


@require_http_methods(["GET", "POST"])
def contact(request):
    user = request.user
    initial = {}
    if user.is_authenticated:
        initial = {"name": user.get_full_name(), "email": user.email}
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _count_contact(request)
            except RateLimitExceeded as exc:
                minutes = max(1, -(-exc.retry_after // 60))
                form.add_error(
                    None,
                    "You have sent several messages in a short time. Please try again in "
                    f"{minutes} minutes, or write to us by email.",
                )
                response = _text_page(request, PageSlug.CONTACT, "pages/contact.html", form=form)
                response.status_code = 429
                response["Retry-After"] = str(exc.retry_after)
                return response
            services.send_contact_message(sender=user, **form.cleaned_data)
            messages.success(
                request,
                "Thank you, your message is sent. We will answer by email to "
                f"{form.cleaned_data['email']}, usually within one working day.",
            )
            return redirect("pages:contact_sent")
        status = 400
    response = _text_page(request, PageSlug.CONTACT, "pages/contact.html", form=form)
    response.status_code = status
    return response


@require_GET
def contact_sent(request):
    return render(request, "pages/contact_sent.html")


@login_required
@require_GET
def welcome(request):
    """Where a new customer lands once their email is confirmed: search and next steps."""
    if not request.user.is_customer:
        return redirect("accounts:dashboard")
    return render(request, "pages/welcome.html", {"search_form": SearchForm()})


@login_required
@require_GET
def data_export(request):
    """Everything stored about the signed-in person, as a JSON download."""
    response = JsonResponse(
        privacy.export_data(request.user), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="marketplace-my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=user)
    blocker = privacy.deletion_blocker(user)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(user=user)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, "Your account is deleted. Thank you for using Marketplace.")
            return redirect("catalog:home")
    return render(
        request,
        "pages/delete_account.html",
        {"form": form, "blocker": blocker, "keeps": privacy.what_is_kept(user)},
        status=400 if form.errors else 200,
    )


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    # Browsers and crawlers ask for /favicon.ico whatever the page links; send them to the icon.
    return redirect(static("icons/icon-192.png"), permanent=True)
