"""The structured content of the editorial pages: a closed set of blocks, each rendered by its own template.

Editors choose among blocks that stay accessible whatever they type: headings only at levels 2 and 3 (the page
title is the h1), rich text without embeds (no outside request, strict CSP), images that carry an alternative
text or are explicitly marked decorative (Wagtail's ImageBlock refuses neither when the page is published), FAQ
as native `<details>` elements (keyboard and screen readers, no script).
"""

from django.utils.html import strip_tags
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

# Rich text features: no embeds, no images inside paragraphs (they go through the image block, with their
# alternative text), no heading levels (the heading block keeps the outline).
PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="Titre", max_length=200)
    level = blocks.ChoiceBlock(
        label="Niveau",
        choices=[("h2", "Titre de section (niveau 2)"), ("h3", "Sous-titre (niveau 3)")],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = "Titre"
        template = "pages/blocks/heading.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label="Type",
        choices=[("info", "Information"), ("important", "Important")],
        default="info",
    )
    title = blocks.CharBlock(label="Titre de l’encadré", max_length=120)
    text = blocks.RichTextBlock(label="Texte", features=PARAGRAPH_FEATURES)

    class Meta:
        icon = "warning"
        label = "Encadré"
        template = "pages/blocks/callout.html"


class ContactBlock(blocks.StructBlock):
    name = blocks.CharBlock(label="Service ou interlocuteur", max_length=150)
    address = blocks.TextBlock(label="Adresse", required=False)
    phone = blocks.CharBlock(label="Téléphone", max_length=60, required=False)
    email = blocks.EmailBlock(label="Adresse électronique", required=False)
    hours = blocks.CharBlock(label="Horaires", max_length=200, required=False)

    class Meta:
        icon = "user"
        label = "Contact"
        template = "pages/blocks/contact.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Document")
    title = blocks.CharBlock(
        label="Intitulé du lien", max_length=200, required=False, help_text="Par défaut : le titre du document."
    )

    class Meta:
        icon = "doc-full"
        label = "Document à télécharger"
        template = "pages/blocks/document.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label="Question", max_length=250)
    answer = blocks.RichTextBlock(label="Réponse", features=PARAGRAPH_FEATURES)


class FAQBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Titre", max_length=150, default="Questions fréquentes")
    questions = blocks.ListBlock(QuestionBlock(), label="Questions", min_num=1)

    class Meta:
        icon = "help"
        label = "Questions fréquentes"
        template = "pages/blocks/faq.html"


class FigureBlock(blocks.StructBlock):
    # Wagtail's ImageBlock: an alternative text, or the explicit choice « décorative »; publishing refuses neither.
    image = ImageBlock(label="Image")
    caption = blocks.CharBlock(label="Légende", max_length=250, required=False)

    class Meta:
        icon = "image"
        label = "Image"
        template = "pages/blocks/figure.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label="Paragraphe", features=PARAGRAPH_FEATURES, template="pages/blocks/paragraph.html"
    )
    callout = CalloutBlock()
    contact = ContactBlock()
    document = DocumentBlock()
    faq = FAQBlock()
    image = FigureBlock()


def stream_text(stream) -> str:
    """The plain text of a StreamField value, for the site search (pages.models … search_body())."""
    parts: list[str] = []
    for child in stream:
        parts.extend(_block_text(child.block, child.value))
    return "\n".join(part.strip() for part in parts if part and part.strip())


def _block_text(block, value) -> list[str]:
    if isinstance(block, blocks.RichTextBlock):
        return [strip_tags(value.source)]
    if isinstance(block, ImageBlock):
        return [getattr(value, "contextual_alt_text", "") or ""] if value else []
    if isinstance(block, DocumentChooserBlock):
        return [value.title] if value else []
    if isinstance(block, blocks.StructBlock):
        return [text for name, child in block.child_blocks.items() for text in _block_text(child, value.get(name))]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in _block_text(block.child_block, item)]
    if isinstance(block, blocks.ChoiceBlock | blocks.BooleanBlock):
        return []
    if isinstance(block, blocks.FieldBlock):
        return [str(value)] if value else []
    return []
