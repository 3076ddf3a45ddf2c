"""Sanitising HTML edited in the admin (CMS pages and blocks), with ``nh3`` (the maintained
binding of Rust's ``ammonia``, the allow-list sanitiser Saleor and others use).

Only the tags and attributes listed here survive; links and images only to http(s), mailto,
tel or this site (relative URLs); ``script``, ``style`` and the like are dropped with their
content; comments go; the markup comes back well-formed.
"""

import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol",
        "p", "pre", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
# Dropped together with everything inside them.
DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "svg",
        "math",
        "textarea",
        "select",
    }
)
# No "id" or "name": an element named by the content could shadow the app's globals (DOM clobbering).
GLOBAL_ATTRIBUTES = frozenset({"class", "title", "lang", "dir"})
TAG_ATTRIBUTES = {
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_html(value: str) -> str:
    """``value`` with only allowed markup left; plain text comes back escaped, not changed."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRIBUTES), **TAG_ATTRIBUTES},
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
