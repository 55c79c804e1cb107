"""Every email comes from the brand: its name as the sender, its name and colour in the frame.

`sender()` is DEFAULT_FROM_EMAIL's address under the brand's name ("Haematology Hub
<noreply@…>"), so an editor who renames the brand renames the sender too.
`branded_email()` renders an email's text and HTML parts (`<prefix>.txt` and
`<prefix>.html`, which extend `email/base.txt` and `email/base.html`) in the frame
shared with allauth's emails.
"""

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from brand.models import current


def sender():
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL
    return formataddr((current().name, address))


def frame_context(site_url):
    """What the email frame shows: the brand, and the site's home page to link its name to."""
    return {"brand": current(), "site_url": site_url}


def branded_email(template_prefix, context, *, subject, to, site_url, **kwargs):
    """An email with a text body and an HTML alternative, from the brand."""
    context = {**frame_context(site_url), **context}
    text = render_to_string(f"{template_prefix}.txt", context).strip() + "\n"
    html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(str(subject), text, sender(), to, **kwargs)
    message.attach_alternative(html, "text/html")
    return message
