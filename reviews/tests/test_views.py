"""Reviews on the site: the invitation and form on a finished booking, the lists on the
service and provider pages, and the provider's reply."""

import re
from datetime import UTC, timedelta

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminFactory, CustomerFactory, ProviderFactory
from booking.models import BookingStatus
from booking.tests.factories import bookable_service
from reviews import services
from reviews.models import Review, ReviewReply

from .factories import ReviewFactory, answers, completed_booking

pytestmark = pytest.mark.django_db

XSS_TITLE = "<script>alert('title')</script>"
XSS_COMMENT = '<img src=x onerror="alert(1)">'


def review_url(booking):
    return reverse("reviews:write", args=[booking.booking_reference])


def form_data(**overrides):
    return {name: value for name, value in answers(**overrides).items() if value is not None}


def titles(response):
    return re.findall(r'<h4 class="review-title">(.*?)</h4>', response.content.decode())


def text(response):
    """The page as words, without tags or runs of spaces."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(words.split())


@pytest.fixture
def booking(client):
    booking = completed_booking()
    client.force_login(booking.customer)
    return booking


# --- The invitation and the form -------------------------------------------------------------


def test_the_customer_of_a_finished_job_is_invited_to_review_it(client, booking):
    page = client.get(booking.get_absolute_url()).content.decode()

    assert "How did it go?" in page
    assert f'href="{review_url(booking)}"' in page
    assert "Nothing to do right now" not in page


@pytest.mark.parametrize("status", [BookingStatus.CONFIRMED, BookingStatus.CANCELLED])
def test_unfinished_bookings_invite_no_review(client, status):
    booking = completed_booking(status=status)
    client.force_login(booking.customer)

    page = client.get(booking.get_absolute_url()).content.decode()

    assert review_url(booking) not in page
    assert client.get(review_url(booking)).status_code == 302
    assert "once it is completed" in text(client.get(booking.get_absolute_url()))


def test_the_provider_sees_no_invitation_and_cannot_open_the_form(client):
    booking = completed_booking()
    client.force_login(booking.provider.user)

    page = client.get(booking.get_absolute_url()).content.decode()

    assert review_url(booking) not in page
    assert client.get(review_url(booking)).status_code == 403


def test_another_customers_booking_is_not_found(client):
    booking = completed_booking()
    client.force_login(CustomerFactory())

    assert client.get(review_url(booking)).status_code == 404


def test_the_form_asks_for_each_rating_as_a_labelled_group_of_five(client, booking):
    page = client.get(review_url(booking)).content.decode()

    legends = re.findall(r"<legend[^>]*>(.*?)</legend>", page)
    assert [legend.rstrip(":") for legend in legends] == [
        "Overall",
        "Quality",
        "Punctuality",
        "Professionalism",
        "Value for money",
    ]
    assert page.count('type="radio" name="rating"') == 5
    assert "1 – Poor" in page and "5 – Excellent" in page
    assert page.count("<fieldset") == 5


def test_a_customer_reviews_a_finished_job(client, booking):
    response = client.post(review_url(booking), form_data(title="Spotless", rating=4))

    assert response.status_code == 302
    assert response["Location"] == booking.get_absolute_url()
    review = Review.objects.get()
    assert (review.booking, review.rating, review.title) == (booking, 4, "Spotless")
    page = client.get(booking.get_absolute_url())
    assert "Thank you! Your review is published." in text(page)
    assert "Your review" in text(page) and "Spotless" in text(page)
    assert "Edit your review" in text(page)


def test_mistakes_are_shown_in_place_and_nothing_is_saved(client, booking):
    response = client.post(review_url(booking), form_data(rating=None, title=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Please fix the highlighted answers. Nothing was saved." in page
    assert page.count("Choose from 1 to 5.") == 1
    assert "This field is required." in page  # the title
    assert 'value="Fixed the leak in an hour"' not in page
    assert 'value="5" required id="id_quality_rating_4" checked' in page  # answers are kept
    assert not Review.objects.exists()


def test_htmx_swaps_only_the_form_and_redirects_when_saved(client, booking):
    invalid = client.post(review_url(booking), form_data(title=""), HTTP_HX_REQUEST="true")
    saved = client.post(review_url(booking), form_data(), HTTP_HX_REQUEST="true")

    body = invalid.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<form id="review-form"')
    assert saved["HX-Redirect"] == booking.get_absolute_url()
    assert Review.objects.count() == 1


def test_a_customer_changes_their_review_within_the_window(client, booking):
    review = ReviewFactory(booking=booking, rating=2, title="Late")

    form = client.get(review_url(booking)).content.decode()
    response = client.post(review_url(booking), form_data(rating=5, title="Came back, fixed"))

    assert "Edit your review" in form and 'value="Late"' in form
    assert 'value="2" required id="id_rating_1" checked' in form
    assert response["Location"] == booking.get_absolute_url()
    review.refresh_from_db()
    assert (review.rating, review.title) == (5, "Came back, fixed")
    assert "Your review is updated." in text(client.get(booking.get_absolute_url()))


def test_after_the_window_the_review_stays_as_it_is(client, booking, time_machine, now):
    review = ReviewFactory(booking=booking, rating=2)
    time_machine.move_to(now.astimezone(UTC) + timedelta(days=15), tick=False)

    page = client.get(booking.get_absolute_url()).content.decode()
    response = client.post(review_url(booking), form_data(rating=5))

    assert "Your review" in page and "Edit your review" not in page
    assert response.status_code == 302
    assert "can no longer be changed" in text(client.get(booking.get_absolute_url()))
    review.refresh_from_db()
    assert review.rating == 2


def test_a_hidden_review_shows_its_customer_why(client, booking):
    review = ReviewFactory(booking=booking)
    services.hide_review(review=review, by=AdminFactory(), reason="Personal details removed.")

    page = text(client.get(booking.get_absolute_url()))

    assert "The marketplace team hid this review: Personal details removed." in page
    assert "Edit your review" not in page


# --- The service and provider pages ----------------------------------------------------------


def test_the_service_page_shows_average_count_distribution_and_sub_ratings(client):
    service = bookable_service()
    for rating, quality in ((5, 5), (5, 4), (4, 4), (2, 1)):
        ReviewFactory(service=service, rating=rating, quality_rating=quality)

    page = text(client.get(service.get_absolute_url()))

    assert "4.00 ★★★★☆ Rated 4.00 out of 5 from 4 reviews" in page
    assert "5 stars 2 (50%) 4 stars 1 (25%) 3 stars 0 (0%) 2 stars 1 (25%) 1 star 0 (0%)" in page
    assert "Quality 3.5 / 5" in page
    assert "Punctuality 4.0 / 5" in page


def test_a_service_without_reviews_says_so(client):
    service = bookable_service()

    page = text(client.get(service.get_absolute_url()))

    assert "Reviews No reviews yet." in page


def test_reviews_are_newest_first_and_sortable_by_rating(client, now, time_machine):
    service = bookable_service()
    for days_ago, rating, title in (
        (3, 4, "Older four"),
        (2, 1, "One star"),
        (1, 5, "Newest five"),
    ):
        time_machine.move_to(now.astimezone(UTC) - timedelta(days=days_ago), tick=False)
        ReviewFactory(service=service, rating=rating, title=title)
    time_machine.move_to(now, tick=False)
    url = service.get_absolute_url()

    assert titles(client.get(url)) == ["Newest five", "One star", "Older four"]
    assert titles(client.get(url, {"sort": "highest"})) == ["Newest five", "Older four", "One star"]
    assert titles(client.get(url, {"sort": "lowest"})) == ["One star", "Older four", "Newest five"]
    assert titles(client.get(url, {"sort": "nonsense"}))[0] == "Newest five"


def test_sort_links_and_pages_swap_the_list_with_htmx_and_keep_a_real_url(client):
    service = bookable_service()
    for number in range(12):
        ReviewFactory(service=service, rating=number % 5 + 1, title=f"Review {number:02}")
    url = service.get_absolute_url()

    full = client.get(url)
    second = client.get(url, {"sort": "lowest", "page": "2"}, HTTP_HX_REQUEST="true")

    page = full.content.decode()
    assert len(titles(full)) == 10
    assert "Page 1 of 2" in text(full)
    assert 'href="?sort=highest#reviews" hx-get="?sort=highest"' in page
    assert 'hx-target="#reviews" hx-swap="outerHTML" hx-push-url="true"' in page
    assert 'href="?page=2#reviews" rel="next"' in page
    body = second.content.decode()
    assert body.strip().startswith('<section id="reviews"')
    assert "<html" not in body and "No reviews yet" not in body
    assert len(titles(second)) == 2
    assert sorted(titles(second)) == ["Review 04", "Review 09"]  # the two 5-star ones
    assert "Page 2 of 2" in text(second)
    assert full["Vary"] and "HX-Request" in full["Vary"]


def test_hidden_reviews_are_not_shown(client):
    service = bookable_service()
    ReviewFactory(service=service, title="Shown")
    hidden = ReviewFactory(service=service, title="Abusive")
    services.hide_review(review=hidden, by=AdminFactory(), reason="Abusive.")

    response = client.get(service.get_absolute_url())

    assert titles(response) == ["Shown"]
    assert "from 1 review" in text(response)


def test_the_provider_page_lists_reviews_of_all_their_services(client):
    first = bookable_service(title="Leak repair")
    second = bookable_service(provider=first.provider, title="Boiler service")
    ReviewFactory(service=first, rating=5, title="Leak gone")
    ReviewFactory(service=second, rating=3, title="Boiler ok")
    ReviewFactory(title="Someone else's")

    response = client.get(first.provider.get_absolute_url())

    assert sorted(titles(response)) == ["Boiler ok", "Leak gone"]
    assert "4.00 ★★★★☆ Rated 4.00 out of 5 from 2 reviews" in text(response)
    assert f'<a href="{second.get_absolute_url()}">Boiler service</a>' in response.content.decode()


def _queries_for(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("page", ["service", "provider"])
def test_review_lists_take_the_same_queries_for_1_and_12_reviews(
    client, django_assert_num_queries, page
):
    few, many = bookable_service(), bookable_service()
    ReviewFactory(service=few)
    for _ in range(11):
        ReviewFactory(service=many)
    services.reply_to_review(
        review=ReviewFactory(service=many), provider_user=many.provider.user, text="Thanks!"
    )
    url = {
        "service": lambda s: s.get_absolute_url(),
        "provider": lambda s: s.provider.get_absolute_url(),
    }[page]
    # Warm what is cached for every visitor: the category tree, each provider's next free
    # time (#18).
    client.get(url(few))
    client.get(url(many))

    # The service (or provider, with its cities and services) with its stored summary, their
    # photos and cities (#18), then one page of reviews with their authors and replies: the
    # stored count pages them.
    expected = {"service": 5, "provider": 6}[page]
    one = _queries_for(client, django_assert_num_queries, url(few), expected)
    twelve = _queries_for(client, django_assert_num_queries, url(many), expected)

    assert len(titles(one)) == 1 and len(titles(twelve)) == 10
    assert "Thanks!" in twelve.content.decode()  # the newest review, with its reply


def test_titles_and_comments_are_shown_as_text_never_as_markup(client):
    booking = completed_booking()
    ReviewFactory(booking=booking, title=XSS_TITLE, comment=XSS_COMMENT)
    client.force_login(booking.customer)

    for url in (
        booking.service.get_absolute_url(),
        booking.provider.get_absolute_url(),
        booking.get_absolute_url(),
    ):
        page = client.get(url).content.decode()
        assert XSS_TITLE not in page and XSS_COMMENT not in page
        assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in page
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


# --- Replies ---------------------------------------------------------------------------------


def test_only_the_reviewed_provider_sees_the_reply_form(client):
    review = ReviewFactory()
    url = review.service.get_absolute_url()
    reply_action = reverse("reviews:reply", args=[review.pk])

    anonymous = client.get(url).content.decode()
    client.force_login(ProviderFactory())
    other_provider = client.get(url).content.decode()
    client.force_login(review.provider.user)
    own = client.get(url).content.decode()

    assert reply_action not in anonymous and reply_action not in other_provider
    assert f'action="{reply_action}"' in own
    assert f"Reply publicly to {review.author_name}" in own


def test_the_provider_replies_and_everyone_reads_it(client):
    review = ReviewFactory()
    client.force_login(review.provider.user)
    back = f"{review.service.get_absolute_url()}?sort=lowest#review-{review.pk}"

    response = client.post(
        reverse("reviews:reply", args=[review.pk]), {"text": "Thank you, Rosa!", "next": back}
    )

    assert response["Location"] == back
    client.logout()
    page = client.get(review.service.get_absolute_url())
    assert f"Reply from {review.provider.display_name}" in text(page)
    assert "Thank you, Rosa!" in text(page)
    assert reverse("reviews:reply", args=[review.pk]) not in page.content.decode()


def test_a_reply_with_htmx_swaps_the_review_and_a_second_one_is_refused(client):
    review = ReviewFactory()
    client.force_login(review.provider.user)
    url = reverse("reviews:reply", args=[review.pk])

    empty = client.post(url, {"text": ""}, HTTP_HX_REQUEST="true")
    first = client.post(url, {"text": "Thanks!"}, HTTP_HX_REQUEST="true")
    second = client.post(url, {"text": "Thanks again!", "next": "https://evil.example/"})

    assert (
        empty.content.decode()
        .strip()
        .startswith(f'<article class="card review" id="review-{review.pk}"')
    )
    assert "Write your reply first." in empty.content.decode()
    body = first.content.decode()
    assert f"Reply from {review.provider.display_name}" in body
    assert "Thanks!" in body and f'action="{url}"' not in body
    assert "Your reply is published under the review." in body  # out-of-band message
    assert second["Location"] == f"{review.service.get_absolute_url()}#review-{review.pk}"
    assert list(ReviewReply.objects.values_list("text", flat=True)) == ["Thanks!"]


def test_another_provider_cannot_reply(client):
    review = ReviewFactory()
    client.force_login(ProviderFactory())

    response = client.post(reverse("reviews:reply", args=[review.pk]), {"text": "Fake"})

    assert response.status_code == 403
    assert not ReviewReply.objects.exists()
