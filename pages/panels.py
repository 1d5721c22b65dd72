from wagtail.admin.panels import InlinePanel


class OrderedInlinePanel(InlinePanel):
    """Wagtail's InlinePanel, its « add » button's icon always in the context.

    Its template reads `{% icon name=icon|default:"plus-inverse" %}` from a variable it never sets; the tests'
    string_if_invalid (config/settings/test.py) stops the `default` filter there and the page fails to render.
    """

    class BoundPanel(InlinePanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context.setdefault("icon", self.panel.icon or "plus-inverse")
            return context
