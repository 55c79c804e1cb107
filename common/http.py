"""Where a form may send the reader back to."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate, default="/"):
    """A same-site path starting with "/" (never a URL name, another host or a scheme).

    `redirect()` treats a bare word such as "home" as a URL name to reverse, so a
    crafted `next=abc` must not reach it.
    """
    if (
        isinstance(candidate, str)
        and candidate.startswith("/")
        and not candidate.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


def gate_exempt(view):
    """Mark a view that visitors reach without declaring to be healthcare professionals.

    Everything else is behind the HCP gate (accounts.gate), which reads this mark.
    """
    view.hcp_gate_exempt = True
    return view


def gate_exempt_urls(urls):
    """Mark every view under `urls`: an include(), a urlconf module or a list of patterns."""
    if isinstance(urls, tuple):  # include() gives (urlconf, app_name, namespace)
        _mark(urls[0])
    else:
        _mark(urls)
    return urls


def _mark(urlconf):
    patterns = getattr(urlconf, "urlpatterns", urlconf)
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):  # a nested include
            _mark(pattern.url_patterns)
        else:
            gate_exempt(pattern.callback)


def shared_page(view):
    """Mark a view whose page is the same for every declared reader who is not logged in.

    The project's page cache (hub.page_cache) may serve such pages without running the
    view; anything personal on them must be a CSRF token or depend on a cookie the
    cache key covers.
    """
    view.hub_shared_page = True
    return view
