"""Photos on pages: `<picture>` with WebP and JPEG `srcset`, sizes, lazy loading and the
intrinsic size (nothing jumps), or a placeholder (the category's mark or initials).

    {% load photo_tags %}
    {% card_pictures results.services as pictures %}   one query for a page of cards
    {% service_picture service pictures %}             a card's picture or placeholder
    {% service_gallery service %}                      a service page's photos
    {% provider_picture provider %}                    a provider's own photo or initials
"""

from django import template
from django.core.files.storage import storages
from django.utils.html import format_html

from core.images import srcset_for

from .. import selectors

register = template.Library()

CARD_SIZES = "(min-width: 60em) 18rem, (min-width: 40em) 45vw, 100vw"
GALLERY_SIZES = "(min-width: 60em) 40rem, 100vw"
AVATAR_SIZES = "6rem"
THUMB_SIZES = "5rem"


def initials(name: str) -> str:
    words = [w for w in (name or "").replace("&", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


def picture_html(photo, *, sizes: str, css_class: str = "", eager: bool = False) -> str:
    """The `<picture>` of a photo's stored copies: WebP first, JPEG for the rest."""
    storage = storages["default"]
    variants = photo.stored_variants
    jpegs = sorted((v for v in variants if v.format == "jpeg"), key=lambda v: v.width)
    fallback = jpegs[0] if jpegs else variants[0]
    return format_html(
        '<picture class="{cls}"><source type="image/webp" srcset="{webp}" sizes="{sizes}">'
        '<img src="{src}" srcset="{jpeg}" sizes="{sizes}" width="{w}" height="{h}" alt="{alt}"'
        ' loading="{loading}" decoding="async"></picture>',
        cls=css_class,
        webp=srcset_for(storage, variants, "webp"),
        jpeg=srcset_for(storage, variants, "jpeg"),
        sizes=sizes,
        src=storage.url(fallback.name),
        w=fallback.width,
        h=fallback.height,
        alt=photo.alt_text,
        loading="eager" if eager else "lazy",
    )


def largest_url(photo) -> str:
    variants = [v for v in photo.stored_variants if v.format == "jpeg"] or photo.stored_variants
    return storages["default"].url(max(variants, key=lambda v: v.width).name)


@register.simple_tag
def card_pictures(services):
    return selectors.card_pictures(services)


@register.simple_tag
def service_picture(
    service, pictures, eager=False, css_class="card-photo", mark=True, provider=None
):
    """A card's picture, or the category's mark with the provider's initials (`mark=False`
    where the category is not loaded, as in booking rows; `provider` when the row has it
    loaded and the service's own is not)."""
    photo = (pictures or {}).get(service.pk)
    sizes = CARD_SIZES if css_class == "card-photo" else THUMB_SIZES
    if photo is not None:
        return picture_html(photo, sizes=sizes, css_class=css_class, eager=eager)
    return format_html(
        '<div class="{} photo-placeholder" aria-hidden="true">'
        '<span class="placeholder-mark">{}</span><span class="placeholder-initials">{}</span></div>',
        css_class,
        (service.category.icon or "") if mark else "",
        initials((provider or service.provider).display_name),
    )


@register.simple_tag
def service_thumb(service):
    """A small picture of one service (the booking steps): its own query."""
    pictures = selectors.card_pictures([service])
    return service_picture(service, pictures, css_class="thumb")


@register.simple_tag
def booking_pictures(bookings):
    """{service id: photo} for a list of bookings, one query (My bookings)."""
    return selectors.card_pictures({b.service_id: b.service for b in bookings}.values())


@register.inclusion_tag("photos/includes/gallery.html")
def service_gallery(service):
    photos = selectors.service_photos(service.pk)
    return {
        "service": service,
        "slides": [
            {
                "photo": photo,
                "html": picture_html(
                    photo, sizes=GALLERY_SIZES, css_class="gallery-photo", eager=index == 0
                ),
                "full": largest_url(photo),
                "number": index + 1,
            }
            for index, photo in enumerate(photos)
        ],
    }


@register.simple_tag
def provider_picture(provider, photo="unread"):
    """A provider's own photo, or their initials. Pass the photo if already read."""
    if photo == "unread":
        photo = selectors.provider_photo(provider.pk)
    if photo:
        return picture_html(photo, sizes=AVATAR_SIZES, css_class="avatar")
    return format_html(
        '<span class="avatar photo-placeholder" aria-hidden="true">{}</span>',
        initials(provider.display_name),
    )


@register.simple_tag
def provider_pictures(providers):
    return selectors.provider_pictures(p.pk for p in providers)


@register.filter
def picture_of(pictures, key):
    return (pictures or {}).get(key)
