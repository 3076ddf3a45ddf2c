"""``{% attention_list %}``: the admin home's list of what needs staff (checkout.admin_reports)."""

from django import template

from checkout.admin_reports import attention_items

register = template.Library()


@register.inclusion_tag("admin/checkout/attention.html")
def attention_list():
    items = attention_items()
    return {"items": items, "open": [item for item in items if item.count]}
