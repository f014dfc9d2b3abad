"""StreamField blocks for programme content (goals, vision, news bodies)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", "H2"), ("h3", "H3"), ("h4", "H4")], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "programmes/blocks/heading.html"


class GoalBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("goal"), max_length=255)
    description = blocks.RichTextBlock(
        label=_("description"), features=RICH_FEATURES, required=False
    )

    class Meta:
        icon = "success"
        label = _("Goal")
        template = "programmes/blocks/goal.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "programmes/blocks/quote.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("link text"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "programmes/blocks/document_link.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_FEATURES, icon="pilcrow")
    goal = GoalBlock()
    quote = QuoteBlock()
    image = ImageBlock(label=_("Image"))
    document = DocumentLinkBlock()

    class Meta:
        block_counts = {}
