"""The cookie groups a new site starts with; editors change them in the admin.

The texts are written by the Hub team and reviewed by editors before launch.
"""

GROUPS = [
    (
        "necessary",
        "Strictly necessary",
        "Needed for the site to work: your session, security against forged forms, "
        "your healthcare-professional declaration, your language and your cookie choices. "
        "They cannot be switched off.",
        True,
        False,
        [
            ("sessionid", "Keeps you logged in and remembers choices during your visit."),
            ("csrftoken", "Protects forms against cross-site request forgery."),
            ("hub_hcp", "Remembers for 30 days that you declared being a healthcare professional."),
            ("cookie_consent", "Remembers your cookie choices for a year."),
            ("messages", "Carries a one-off confirmation message to the next page."),
            ("django_language", "Remembers the language you chose."),
            ("hub_panel", "Remembers that you closed the sign-up suggestion on the home page."),
        ],
    ),
    (
        "analytics",
        "Analytics",
        "Tell us which pages are read and how readers find them, so we can improve "
        "content. The analytics script is loaded only if you accept.",
        False,
        True,
        [
            ("_pk_id", "Distinguishes visits (analytics), for 13 months."),
            ("_pk_ses", "Groups the pages of one visit (analytics), for 30 minutes."),
        ],
    ),
    (
        "translation",
        "Machine translation",
        "Lets you translate articles with a third-party machine-translation service "
        "(Google Translate). Its script is loaded only if you accept.",
        False,
        True,
        [("googtrans", "Remembers the language you translate articles into.")],
    ),
]


def install_groups(CookieGroup, Cookie):
    """Create the groups that are missing (and their cookies); existing ones are left alone."""
    for ordering, (varname, name, description, required, deletable, cookies) in enumerate(GROUPS):
        group, created = CookieGroup.objects.get_or_create(
            varname=varname,
            defaults={
                "name": name,
                "description": description,
                "is_required": required,
                "is_deletable": deletable,
                "ordering": ordering,
            },
        )
        if created:
            for cookie, purpose in cookies:
                Cookie.objects.create(cookiegroup=group, name=cookie, description=purpose)
