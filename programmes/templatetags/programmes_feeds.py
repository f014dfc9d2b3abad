"""``{% page_feeds page as feeds %}``: the feed URLs relevant to a page.

Used by programmes/includes/feed_links.html, which templates include twice:
in <head> with ``head=True`` (``<link rel="alternate">`` for feed readers and
browsers) and in the page body (visible "subscribe" links).
"""

from django import template

from ..feeds import feeds_for_page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_feeds(context, page=None):
    return feeds_for_page(page if page is not None else context.get("page"), context.get("request"))
