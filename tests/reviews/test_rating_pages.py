"""The resident's rating page works with the token alone; unknown tokens are 404; the QR code is SVG."""

import re
from datetime import timedelta

import pytest
import segno
from django.utils import timezone

from tests.reviews.helpers import make_dept, open_for
from yiwang.reviews.models import Level, Rating, RatingOpportunity, Rectification

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.mark.django_db
def test_token_page_rates_without_login_and_thanks(client):
    opportunity = open_for(make_dept(name="Civil affairs"), window_code="W07")
    page = client.get(opportunity.rating_path, **EN)
    assert page.status_code == 200
    html = page.content.decode()
    assert sorted(map(int, re.findall(r'data-level="(\d)"', html))) == [1, 2, 3, 4, 5]
    assert "Very dissatisfied" in html and "Civil affairs" in html
    response = client.post(opportunity.rating_path, {"level": "4", "comment": "friendly"}, **EN)
    assert response.status_code == 302 and response["Location"].endswith(f"/reviews/rate/{opportunity.token}/thanks/")
    rating = Rating.objects.get(opportunity=opportunity)
    assert (rating.level, rating.comment, rating.rater) == (Level.SATISFIED, "friendly", None)
    thanks = client.get(response["Location"], **EN).content.decode()
    assert "Thank you for your rating" in thanks and "5 working days" not in thanks
    # the same link again: a clear message, no second rating
    again = client.post(opportunity.rating_path, {"level": "1"}, **EN)
    assert again.status_code == 200 and "already been rated" in again.content.decode()
    assert Rating.objects.filter(opportunity=opportunity).count() == 1


@pytest.mark.django_db
def test_bad_rating_thanks_page_promises_contact_within_five_working_days(client):
    opportunity = open_for(make_dept())
    response = client.post(opportunity.rating_path, {"level": "1"}, follow=True, **EN)
    assert "within 5 working days" in response.content.decode()
    assert Rectification.objects.filter(rating__opportunity=opportunity).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/reviews/rate/{}/", "/reviews/rate/{}/thanks/", "/reviews/qr/{}.svg"])
def test_an_invalid_token_is_404(client, path):
    open_for(make_dept())
    assert client.get(path.format("no-such-token-0123456789abcdef")).status_code == 404
    assert client.post("/reviews/rate/no-such-token/", {"level": "5"}).status_code == 404
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_no_level_or_a_wrong_level_re_shows_the_page_with_an_error(client):
    opportunity = open_for(make_dept())
    for data in ({}, {"level": "9"}):
        response = client.post(opportunity.rating_path, data, **EN)
        assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_an_expired_link_says_so(client):
    opportunity = open_for(make_dept(), expires_in_days=3)
    RatingOpportunity.objects.filter(pk=opportunity.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(opportunity.rating_path, {"level": "5"}, **EN)
    assert response.status_code == 410 and "expired" in response.content.decode()
    assert not Rating.objects.exists()


@pytest.mark.django_db
def test_qr_code_is_an_svg_of_the_absolute_rating_link(client, settings):
    settings.NOTIFY = {**settings.NOTIFY, "PUBLIC_BASE_URL": "https://yiwang.example.gov.cn"}
    opportunity = open_for(make_dept())
    assert opportunity.rating_url == f"https://yiwang.example.gov.cn/reviews/rate/{opportunity.token}/"
    response = client.get(opportunity.qr_path)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<svg" in svg
    expected = segno.make(opportunity.rating_url + "?via=qr_code", error="m")
    # same symbol version and size as a QR code of exactly that URL
    assert f'width="{(expected.symbol_size(scale=6, border=4))[0]}"' in svg


@pytest.mark.django_db
def test_tokens_are_long_and_unguessable():
    dept = make_dept()
    tokens = {open_for(dept).token for _ in range(20)}
    assert len(tokens) == 20 and all(len(t) >= 32 for t in tokens)


@pytest.mark.django_db
def test_a_comment_can_be_added_once_after_the_one_tap_rating(client):
    opportunity = open_for(make_dept())
    client.post(opportunity.rating_path, {"level": "2"})
    thanks = f"/reviews/rate/{opportunity.token}/thanks/"
    assert 'name="comment"' in client.get(thanks).content.decode()
    assert client.post(thanks, {"comment": "  "}, **EN).status_code == 400
    assert client.post(thanks, {"comment": "waited 2 hours"}).status_code == 302
    assert Rating.objects.get(opportunity=opportunity).comment == "waited 2 hours"
    assert 'name="comment"' not in client.get(thanks).content.decode()
    assert client.post(thanks, {"comment": "and another thing"}, **EN).status_code == 400
    assert Rating.objects.get(opportunity=opportunity).comment == "waited 2 hours"


@pytest.mark.django_db
def test_a_comment_needs_the_token_and_a_rating_first():
    from yiwang.core.actions import ActionError, PermissionDenied
    from yiwang.reviews import actions

    opportunity = open_for(make_dept())
    with pytest.raises(ActionError):
        actions.add_comment(opportunity.token, opportunity, "too early")
    client_rating = actions.rate(opportunity.token, opportunity, 5)
    with pytest.raises(PermissionDenied):
        actions.add_comment("guess", opportunity, "sneaky")
    assert Rating.objects.get(pk=client_rating.pk).comment == ""
