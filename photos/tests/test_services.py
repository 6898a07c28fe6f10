"""Photos' rules: what is stored, for whom, how many, and what the copies are."""

import io

import pytest
from django.core.files.storage import storages
from PIL import Image

from accounts.tests.factories import ProviderFactory
from catalog.tests.factories import ServiceFactory
from core.storage import private_storage
from photos import selectors, services
from photos.errors import PhotoInvalid, PhotoNotFound, TooManyPhotos
from photos.models import Photo

from .factories import photo_bytes, photo_for, photo_upload

pytestmark = pytest.mark.django_db


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825)[2] = (30.0, 16.0, 2.0)
    return photo_bytes("JPEG", exif=exif.tobytes())


def test_a_photo_is_stored_without_its_gps_position_and_its_copies_built():
    service = ServiceFactory()
    upload = photo_upload()
    upload.file = io.BytesIO(gps_jpeg())
    upload.size = len(upload.file.getvalue())

    photo = services.add_photo(
        user=service.provider.user, service_id=service.pk, upload=upload, alt_text="Kitchen"
    )
    assert photo.variants_owed and not photo.is_ready
    assert services.build_variants(photo_id=photo.pk)

    photo.refresh_from_db()
    with private_storage.open(photo.original_name) as original:
        data = original.read()
    assert b"PhoneMaker" not in data
    assert not photo.variants_owed
    widths = sorted({(v.width, v.format) for v in photo.stored_variants})
    assert widths == [(320, "jpeg"), (320, "webp"), (640, "jpeg"), (640, "webp")]
    for variant in photo.stored_variants:
        with storages["default"].open(variant.name) as stored:
            assert b"PhoneMaker" not in stored.read()


def test_the_copies_are_built_after_commit(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.add_photo(
            user=service.provider.user,
            service_id=service.pk,
            upload=photo_upload(),
            alt_text="Kitchen",
        )
    photo.refresh_from_db()
    assert photo.is_ready and not photo.variants_owed


def test_alt_text_is_required():
    service = ServiceFactory()
    with pytest.raises(PhotoInvalid) as exc:
        services.add_photo(
            user=service.provider.user, service_id=service.pk, upload=photo_upload(), alt_text="  "
        )
    assert exc.value.field == "alt_text"
    assert not Photo.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_stored(settings):
    service = ServiceFactory()
    upload = photo_upload(name="kitchen.jpg")
    upload.file = io.BytesIO(b"MZ\x90\x00 an executable")
    upload.size = 20
    with pytest.raises(PhotoInvalid) as exc:
        services.add_photo(
            user=service.provider.user, service_id=service.pk, upload=upload, alt_text="Kitchen"
        )
    assert exc.value.errors == {"image": ["kitchen.jpg is not a JPEG, PNG or WebP image."]}
    assert not Photo.objects.exists()
    assert not (settings.PRIVATE_MEDIA_ROOT / "photos").exists()


def test_another_providers_service_is_not_found():
    service = ServiceFactory()
    stranger = ProviderFactory()
    with pytest.raises(PhotoNotFound):
        services.add_photo(
            user=stranger, service_id=service.pk, upload=photo_upload(), alt_text="Mine now"
        )
    assert not Photo.objects.exists()


def test_a_service_has_at_most_eight_photos():
    service = ServiceFactory()
    for _ in range(8):
        photo_for(provider_user=service.provider.user, service=service, built=False)
    with pytest.raises(TooManyPhotos, match="at most 8 photos"):
        photo_for(provider_user=service.provider.user, service=service, built=False)
    assert Photo.objects.filter(service=service).count() == 8


def test_the_provider_chooses_the_order_and_the_first_is_the_cover():
    service = ServiceFactory()
    user = service.provider.user
    first = photo_for(provider_user=user, service=service, alt_text="First")
    second = photo_for(provider_user=user, service=service, alt_text="Second")

    services.move_photo(user=user, photo_id=second.pk, offset=-1)

    assert [p.alt_text for p in selectors.service_photos(service.pk)] == ["Second", "First"]
    assert selectors.card_pictures([service])[service.pk].pk == second.pk
    services.move_photo(user=user, photo_id=first.pk, offset=-1)
    assert selectors.card_pictures([service])[service.pk].pk == first.pk


def test_replacing_keeps_the_old_copies_until_the_new_ones_exist():
    service = ServiceFactory()
    user = service.provider.user
    photo = photo_for(provider_user=user, service=service)
    old_names = [v.name for v in photo.stored_variants]

    services.update_photo(
        user=user, photo_id=photo.pk, alt_text="After", upload=photo_upload(size=(1400, 700))
    )
    photo.refresh_from_db()
    assert photo.variants_owed and [v.name for v in photo.stored_variants] == old_names
    assert photo.alt_text == "After"

    services.build_variants(photo_id=photo.pk)
    photo.refresh_from_db()
    assert {v.width for v in photo.stored_variants} == {320, 640, 1280}
    assert not set(old_names) & {v.name for v in photo.stored_variants}


def test_a_build_of_a_replaced_original_is_discarded(monkeypatch):
    service = ServiceFactory()
    user = service.provider.user
    photo = photo_for(provider_user=user, service=service, built=False)
    real_build = services.images.build_variants
    built = []

    def replaced_meanwhile(*args, **kwargs):
        # The provider replaces the picture while the job is resizing the old one.
        services.update_photo(user=user, photo_id=photo.pk, alt_text="New", upload=photo_upload())
        built.extend(real_build(*args, **kwargs))
        return built

    monkeypatch.setattr(services.images, "build_variants", replaced_meanwhile)
    assert services.build_variants(photo_id=photo.pk) is False

    photo.refresh_from_db()
    assert photo.variants_owed and photo.variants == [] and photo.version == 2
    assert not any(storages["default"].exists(v.name) for v in built)


def test_deleting_removes_the_row_and_after_commit_its_files(django_capture_on_commit_callbacks):
    service = ServiceFactory()
    user = service.provider.user
    photo = photo_for(provider_user=user, service=service)
    names = [v.name for v in photo.stored_variants]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_photo(user=user, photo_id=photo.pk)
    assert not Photo.objects.exists()
    assert not any(storages["default"].exists(name) for name in names)
    assert not private_storage.exists(photo.original_name)


def test_another_provider_cannot_delete_or_describe_a_photo():
    service = ServiceFactory()
    photo = photo_for(provider_user=service.provider.user, service=service)
    stranger = ProviderFactory()
    with pytest.raises(PhotoNotFound):
        services.delete_photo(user=stranger, photo_id=photo.pk)
    with pytest.raises(PhotoNotFound):
        services.update_photo(user=stranger, photo_id=photo.pk, alt_text="Mine")
    assert Photo.objects.get(pk=photo.pk).alt_text == "Finished kitchen"


def test_the_provider_has_one_own_photo_which_a_new_upload_replaces():
    user = ProviderFactory()
    first = photo_for(provider_user=user, alt_text="Logo")
    second = photo_for(provider_user=user, alt_text="New logo")
    assert first.pk == second.pk
    assert Photo.objects.filter(service__isnull=True).count() == 1
    assert selectors.provider_photo(user.provider_profile.pk).alt_text == "New logo"


def test_a_card_without_photos_shows_the_providers_own():
    service = ServiceFactory()
    own = photo_for(provider_user=service.provider.user, alt_text="Logo")
    assert selectors.card_pictures([service]) == {service.pk: own}


def test_the_sweeper_builds_what_is_still_owed(settings):
    settings.PHOTOS_SWEEP_AFTER_SECONDS = 0
    service = ServiceFactory()
    photo = photo_for(provider_user=service.provider.user, service=service, built=False)
    assert services.sweep_owed_variants() == 1
    photo.refresh_from_db()
    assert photo.is_ready and not photo.variants_owed
    assert services.sweep_owed_variants() == 0


def test_the_sweeper_counts_a_failed_build_and_gives_up_after_the_last_attempt(settings):
    settings.PHOTOS_SWEEP_AFTER_SECONDS = 0
    settings.PHOTOS_MAX_ATTEMPTS = 2
    service = ServiceFactory()
    photo = photo_for(provider_user=service.provider.user, service=service, built=False)
    private_storage.delete(photo.original_name)  # lost from the disk
    services.sweep_owed_variants()
    services.sweep_owed_variants()
    photo.refresh_from_db()
    assert photo.build_attempts == 2 and photo.last_error
    assert services.owed_photo_ids() == []
