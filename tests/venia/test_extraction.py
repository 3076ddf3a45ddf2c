"""The extraction script: it resolves Venia's fragments the way graphql-tag does, sends what
Apollo sends, and the committed fixture is exactly what it produces from the pinned tarballs."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import parse, print_ast

from . import extract

FRAGMENT = """import { gql } from '@apollo/client';
export const PriceFragment = gql`
    fragment PriceFragment on Cart { id prices { grand_total { value } } }
`;
"""


def _extract(files: dict[str, str], package="@magento/peregrine"):
    sources = {name: {} for name in extract.PACKAGES}
    sources[package].update(files)
    return extract.extract(sources)["operations"]


def test_fragment_imported_through_a_reexport_is_pasted_in_once():
    operations = _extract(
        {
            "lib/talons/CartPage/priceFragments.gql.js": FRAGMENT,
            "lib/talons/CartPage/index.gql.js": "export { PriceFragment } from './priceFragments.gql';\n",
            "lib/talons/CartPage/cartPage.gql.js": """import { gql } from '@apollo/client';
import { PriceFragment } from './index.gql';
const SummaryFragment = gql`
    fragment SummaryFragment on Cart { id ...PriceFragment }
    ${PriceFragment}
`;
export const GET_CART = gql`
    query GetCart($cartId: String!) { cart(cart_id: $cartId) { ...SummaryFragment ...PriceFragment } }
    ${SummaryFragment}
    ${PriceFragment}
`;
""",
        }
    )

    assert [(o["name"], o["area"], o["export"], o["type"]) for o in operations] == [
        ("GetCart", "cart", "GET_CART", "query")
    ]
    document = parse(operations[0]["document"])
    assert [d.name.value for d in document.definitions] == ["GetCart", "SummaryFragment", "PriceFragment"]


def test_apollo_adds_typename_below_the_operation_level():
    operations = _extract(
        {
            "lib/talons/SignIn/signIn.gql.js": """import { gql } from '@apollo/client';
export const GET_CUSTOMER = gql`query GetCustomer { customer { email addresses { city } } }`;
"""
        }
    )

    assert operations[0]["area"] == "account"
    assert operations[0]["document"] == print_ast(
        parse("query GetCustomer { customer { email addresses { city __typename } __typename } }")
    )


def test_client_fields_are_not_sent_and_a_client_only_query_is_not_sent_at_all():
    operations = _extract(
        {
            "lib/talons/CheckoutPage/billing.gql.js": """import { gql } from '@apollo/client';
export const CLIENT_ONLY = gql`
    query getIsBillingAddressSame($cartId: String!) { cart(cart_id: $cartId) @client { id isBillingAddressSame } }
`;
export const MIXED = gql`
    query getSummary($cartId: String!, $nonce: String) {
        cart(cart_id: $cartId) { id paymentNonce(x: $nonce) @client email }
    }
`;
"""
        }
    )

    by_name = {o["name"]: o for o in operations}
    assert by_name["getIsBillingAddressSame"]["document"] is None
    assert by_name["getIsBillingAddressSame"]["client_fields_removed"] == ["cart"]
    assert by_name["getSummary"]["document"] == print_ast(
        parse("query getSummary($cartId: String!) { cart(cart_id: $cartId) { id email __typename } }")
    )


def test_open_source_build_takes_the_ce_variant_and_skips_ee_files():
    sources = {name: {} for name in extract.PACKAGES}
    sources["@magento/peregrine"].update(
        {
            "lib/talons/CartPage/listing.gql.ce.js": FRAGMENT,
            "lib/talons/CartPage/listing.gql.ee.js": FRAGMENT.replace("grand_total", "gift_cards"),
            "lib/talons/CartPage/cart.gql.js": """import { gql } from '@apollo/client';
import { PriceFragment } from './listing.gql';
export const Q = gql`query Q { cart(cart_id: "x") { ...PriceFragment } } ${PriceFragment}`;
""",
        }
    )

    fixture = extract.extract(sources)

    assert "gift_cards" not in fixture["operations"][0]["document"]
    assert "grand_total" in fixture["operations"][0]["document"]
    assert fixture["excluded_ee_files"] == ["@magento/peregrine/lib/talons/CartPage/listing.gql.ee.js"]


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {
                "lib/talons/CartPage/a.gql.js": "import { gql } from '@apollo/client';\n"
                'export const Q = gql`query Q { cart(cart_id: "x") { ...Missing } } ${Missing}`;\n'
            },
            "Missing is neither a gql template nor imported",
        ),
        (
            {
                "lib/talons/CartPage/f.gql.js": FRAGMENT,
                "lib/talons/CartPage/a.gql.js": "import { gql } from '@apollo/client';\n"
                "import { PriceFragment } from './f.gql';\n"
                "const Other = gql`fragment PriceFragment on Cart { email }`;\n"
                'export const Q = gql`query Q { cart(cart_id: "x") { ...PriceFragment } }'
                " ${PriceFragment} ${Other}`;\n",
            },
            "two different fragments named PriceFragment",
        ),
        (
            {
                "lib/talons/Unknown/a.gql.js": "import { gql } from '@apollo/client';\nconst Q = gql`query Q { x }`;\n"
            },
            "directory 'Unknown' has no area",
        ),
    ],
)
def test_what_cannot_be_resolved_stops_the_extraction(files, message):
    with pytest.raises(extract.ExtractionError, match=message):
        _extract(files)


def _tarballs() -> Path:
    """The pinned tarballs: from VENIA_TARBALLS, else a per-user cache filled by ``npm pack``."""
    directory = Path(
        os.environ.get("VENIA_TARBALLS") or Path.home() / ".cache" / "klarna-shop" / "venia-tarballs"
    )
    missing = [p for p in extract.PACKAGES if not (directory / extract.tarball_name(p)).exists()]
    if missing:
        if shutil.which("npm") is None:
            pytest.skip(f"npm is not installed and {directory} lacks {', '.join(missing)}")
        directory.mkdir(parents=True, exist_ok=True)
        try:
            extract.pack(directory)
        except (subprocess.SubprocessError, OSError) as error:
            pytest.skip(f"`{extract.COMMAND}` failed (offline?): {error}")
    return directory


def test_committed_fixture_is_what_the_script_extracts_from_the_pinned_tarballs():
    directory = _tarballs()

    text = extract.render(extract.extract(extract.read_tarballs(directory)))

    assert text == extract.FIXTURE.read_text(encoding="utf-8"), (
        "tests/venia/venia_operations.json is stale: run `python -m tests.venia.extract`"
    )
