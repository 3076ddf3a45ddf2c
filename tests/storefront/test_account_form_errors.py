"""The account forms name every invalid field in one summary at the top (role=alert, focused
on load), and tie each field to its message (aria-invalid, aria-describedby)."""

import html
import re

import pytest

pytestmark = pytest.mark.django_db


def summary_items(page: str) -> list[str]:
    block = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1" autofocus data-error-summary>(.*?)</div>',
        page,
        re.S,
    )
    assert block, "no error summary"
    return [html.unescape(text) for text in re.findall(r'<li><a href="#[^"]+">(.*?)</a></li>', block[1])]


def test_empty_create_account_form_names_every_field_in_the_summary(client):
    page = client.post(
        "/account/create/", {"firstname": "", "lastname": "", "email": "", "password": ""}
    ).content.decode()

    assert summary_items(page) == [
        "First name: This field is required.",
        "Last name: This field is required.",
        "Email: This field is required.",
        "Password: This field is required.",
    ]
    assert re.search(
        r'<input[^>]*aria-describedby="id_password_helptext id_password_error"[^>]*aria-invalid="true"'
        r'|<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_password_helptext id_password_error"',
        page,
    )
    assert 'id="id_password_helptext"' in page and 'id="id_password_error"' in page
    assert 'id="id_email_error"' in page


def test_a_valid_form_shows_no_summary(client):
    page = client.get("/account/create/").content.decode()

    assert "data-error-summary" not in page
    assert "aria-invalid" not in page
