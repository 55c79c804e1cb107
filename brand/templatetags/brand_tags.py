"""{% capture name %}…{% endcapture %}: render once, use twice.

base.html renders a page's {% block title %} into `page_title`, so the <title> and
og:title share it (Django allows a block only once per template)."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # Rendered template text, its variables escaped already: safe, and it must stay
        # so (str.strip() gives back a plain string, which would be escaped twice).
        context[self.name] = mark_safe(self.nodelist.render(context).strip())  # noqa: S308
        return ""


@register.tag
def capture(parser, token):
    try:
        _tag, name = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("{% capture %} takes one name") from None
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, name)
