"""The site's starting pages (and cookie groups), installed by a migration.

The page texts are written by the Hub team as a starting point and marked as demo
content: editors (and the Hub's lawyers) review them before launch.
"""

from articles.rendering import markdown_to_html
from consent.groups import install_groups

PAGES = {
    "about": (
        "About Us",
        """The Hub is an independent medical education platform for healthcare
professionals who care for people with blood cancers.

## What we publish

Short expert interviews, articles, conference reports and podcasts. Every piece
states its learning objectives, ends with key learnings and cites its sources, so
you can check the evidence for yourself.

## How content is made

Topics are chosen and every article is reviewed by an independent steering
committee of clinicians. Sponsors fund the platform through educational grants:
they have no say in topics, authors or content, and they never see content before
it is published.

## Measuring what you learn

Many articles carry a short quiz that you can take before and after reading. Your
answers help us see which articles teach well and which need improving.
""",
    ),
    "privacy": (
        "Privacy policy",
        """This policy explains what the Hub collects about you and why.

## What we collect

- **Your account**: your email address, name, profession, specialty, country and
  institution, and the time you declared being a healthcare professional.
- **What you choose**: your areas of interest, bookmarks and quiz answers. Each
  quiz attempt keeps the profession, specialty and country you had when you
  answered, so results can be broken down by them; reports never show a group of
  fewer than five readers.
- **Readers per article**: we count how many people read each article each day,
  with a code that changes daily and cannot be traced back to you. We store no IP
  addresses.
- **Newsletter**: your email address and interests, once you confirm.
- **Messages** you send through the contact form.

## What we do not do

We do not sell your data and we do not share it with sponsors. Analytics and
translation tools run only if you accept their cookies.

## Your rights

In *My account* you can download everything we hold about you and delete your
account. Deleting your account erases your personal data; quiz answers remain only
as statistics, with the profession, specialty and country given when answering,
and nothing that names you.
""",
    ),
    "terms": (
        "Terms of use",
        """The Hub is for healthcare professionals. By using it you confirm that you are
one, and that you will use its content in your professional capacity.

Content is for education only and does not replace clinical judgement, local
guidelines or the prescribing information of any medicine. Medicines and
indications discussed may not be approved in your country.

Machine translations offered on article pages are generated automatically, may be
inexact, and are provided without any liability on the Hub's part.
""",
    ),
    "accessibility": (
        "Accessibility statement",
        """We want everyone to be able to use the Hub. We aim to meet the Web Content
Accessibility Guidelines (WCAG) 2.2 at level AA.

- Every page can be used with a keyboard alone, and starts with a link that skips
  to its main content.
- Pages use headings, landmarks and labelled form controls so that screen readers
  can navigate them.
- Text and controls meet WCAG contrast ratios, and pages reflow on small screens.
- Our automated tests check each type of page with axe-core and validate its HTML.

If something does not work for you, please tell us through the contact page and we
will fix it.
""",
    ),
    "cookie-policy": (
        "Cookie policy",
        """Cookies are small files a website stores in your browser. The Hub sets only
the cookies it needs to work until you choose otherwise. You can change your choice
at any time on this page; cookies you decline are removed.
""",
    ),
}


def install(Page, CookieGroup, Cookie):
    """Create the pages and cookie groups that are missing; existing ones are left alone."""
    install_groups(CookieGroup, Cookie)
    install_pages(Page)


def install_pages(Page, **hub):
    """The starting pages a hub lacks (`hub=`: a new hub's; none: the migration's)."""
    for slug, (title, body) in PAGES.items():
        Page.objects.get_or_create(
            **hub,
            slug=slug,
            defaults={
                "title": title,
                "body": body,
                "body_html": markdown_to_html(body),
                "is_demo": True,
            },
        )
