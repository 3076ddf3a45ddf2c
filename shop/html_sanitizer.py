"""An allow-list HTML sanitiser for content edited in the admin (CMS pages and blocks).

The document is re-written from the parser's tokens: only the tags and attributes listed here
come out, every text and attribute value re-escaped, links and images only to http(s), mailto,
tel or this site. Whatever is not allowed is dropped; ``script``, ``style`` and the like are
dropped with their content. Unclosed tags are closed, stray end tags ignored, comments removed.

Built on the standard library's tokenizer because neither ``nh3`` nor ``bleach`` is installed
in this project's environment; ``nh3`` (the maintained Rust ``ammonia`` binding) would be the
drop-in replacement for ``sanitize_html``.
"""

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol",
        "p", "pre", "section", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
        "tfoot", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr", "img"})
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
    "a": frozenset({"href", "rel"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start"}),
}
URL_ATTRIBUTES = frozenset({"href", "src"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def sanitize_html(value: str) -> str:
    """``value`` with only allowed markup left; plain text comes back escaped, not changed."""
    if not value:
        return ""
    parser = _Sanitizer()
    parser.feed(value)
    parser.close()
    return parser.result()


def _safe_url(value: str) -> bool:
    # Browsers ignore tabs and newlines inside a URL's scheme ("java\tscript:"): strip them first.
    cleaned = "".join(ch for ch in value if ch not in "\t\n\r").strip()
    if not cleaned:
        return False
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return False
    if parts.scheme:
        return parts.scheme.lower() in URL_SCHEMES
    # No scheme: a path, a fragment or a query on this site; "//host" is another site, allowed
    # only as http(s) spelled out.
    return not cleaned.startswith("//") and ":" not in cleaned.split("/", 1)[0]


class _Sanitizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping: list[str] = []  # stack of dropped-with-content tags we are inside

    def result(self) -> str:
        return "".join(self.out) + "".join(f"</{tag}>" for tag in reversed(self.open))

    def handle_starttag(self, tag, attrs):
        if self.dropping:
            if tag in DROP_WITH_CONTENT:
                self.dropping.append(tag)
            return
        if tag in DROP_WITH_CONTENT:
            self.dropping.append(tag)
            return
        if tag not in ALLOWED_TAGS:
            return
        self.out.append(self._start(tag, attrs))
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        self.out.append(self._start(tag, attrs))
        if tag not in VOID_TAGS:
            self.out.append(f"</{tag}>")

    def handle_endtag(self, tag):
        if self.dropping:
            if tag == self.dropping[-1]:
                self.dropping.pop()
            return
        if tag not in self.open:
            return
        while self.open:  # close whatever is still open inside it
            closing = self.open.pop()
            self.out.append(f"</{closing}>")
            if closing == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    # Comments, doctypes, processing instructions: dropped (the base class ignores them).

    def _start(self, tag: str, attrs) -> str:
        allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())
        kept = []
        seen = set()
        for name, value in attrs:
            if name not in allowed or name in seen:
                continue
            value = value or ""
            if name in URL_ATTRIBUTES and not _safe_url(value):
                continue
            seen.add(name)
            kept.append(f' {name}="{escape(value, quote=True)}"')
        return f"<{tag}{''.join(kept)}>"
