"""The request's hub, from its host (hubs.directory): `request.hub`.

A host that names no hub of a multi-hub install is a 404 page of its own that shows no
hub's name or content; a hub's other hosts redirect permanently to its address. Every
page names its hub as a surrogate key (`hub-<id>`, pagecache/CONTRACT.md), so that a
change to one hub's brand, pages or funders purges that hub's pages only. A hub that
offers some languages only serves a reader who asks for another in its first: the
page's variant (the language the request asks for) still names one set of bytes.
"""

from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils import translation

from common.http import tag_page
from hubs.directory import activated, directory, surrogate_key


class HubMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = directory().find(request.get_host())
        if found is None:
            language = translation.get_language_from_request(request)
            with translation.override(language):
                page = render_to_string("hubs/unknown_host.html", {"language": language})
            return HttpResponseNotFound(page)
        request.hub, address = found
        if address is not None:
            scheme = "https" if request.is_secure() else "http"
            return HttpResponsePermanentRedirect(f"{scheme}://{address}{request.get_full_path()}")
        tag_page(request, surrogate_key(request.hub.id))
        # The hub's languages only: a reader who asks for another gets its first.
        language = request.hub.language_for(translation.get_language())
        if language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        with activated(request.hub):
            return self.get_response(request)
