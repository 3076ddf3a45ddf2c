"""The minimal CMS behind ``cmsPage`` and ``cmsBlocks``: active pages and blocks by identifier
(or by numeric id, as Magento allows), with Magento's messages for what is missing. Read-only;
content was sanitised when it was saved (``shop.html_sanitizer``)."""

from dataclasses import dataclass

from shop.errors import DomainError
from shop.models import CmsBlock, CmsPage

HOME_PAGE_IDENTIFIER = "home"  # Magento's web/default/cms_home_page


def get_page(*, identifier: str | None = None, page_id: int | None = None) -> CmsPage:
    """The active page; ``DomainError`` when neither is given or no active page matches. One query."""
    if page_id is not None:
        page = CmsPage.objects.filter(pk=page_id, is_active=True).first()
        if page is None:
            raise DomainError("cms_page_not_found", identifier=page_id)
        return page
    if identifier is None:
        raise DomainError("cms_page_identifier_missing")
    page = CmsPage.objects.filter(identifier=identifier, is_active=True).first()
    if page is None:
        raise DomainError("cms_page_not_found", identifier=identifier)
    return page


@dataclass(frozen=True)
class BlockLookup:
    identifier: str
    block: CmsBlock | None  # None: not found (``error`` says so)
    error: DomainError | None = None


def get_blocks(identifiers: list[str | None] | None) -> list[BlockLookup]:
    """Each requested block in the order asked (a numeric identifier is a block id); a missing
    or inactive one comes back with its error, the others still answered. One query."""
    wanted = [i for i in identifiers or [] if i is not None]
    if not wanted:
        raise DomainError("cms_blocks_identifiers_missing")
    ids = [int(i) for i in wanted if i.isascii() and i.isdigit()]
    names = [i for i in wanted if not (i.isascii() and i.isdigit())]
    blocks = CmsBlock.objects.filter(is_active=True).filter(identifier__in=names) | CmsBlock.objects.filter(
        is_active=True, pk__in=ids
    )
    by_identifier, by_id = {}, {}
    for block in blocks:
        by_identifier[block.identifier] = block
        by_id[block.pk] = block
    found = []
    for identifier in dict.fromkeys(wanted):  # Magento keys its answer by identifier: once each
        numeric = identifier.isascii() and identifier.isdigit()
        block = by_id.get(int(identifier)) if numeric else by_identifier.get(identifier)
        error = None if block else DomainError("cms_block_not_found", identifier=identifier)
        found.append(BlockLookup(identifier=identifier, block=block, error=error))
    return found
