"""What shared links and search engines see: share URLs and schema.org JSON-LD."""

from urllib.parse import quote, urlencode

from django.templatetags.static import static

from brand.models import current as current_brand


def share_links(article, url):
    """Plain share URLs: no third-party script is ever loaded to share."""
    return {
        "url": url,
        "email": "mailto:?" + urlencode({"subject": article.title, "body": url}, quote_via=_quote),
        "linkedin": "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        "x": "https://x.com/intent/post?" + urlencode({"url": url, "text": article.title}),
    }


def _quote(value, safe="", encoding=None, errors=None):
    # mailto: wants %20 for spaces, not "+".
    return quote(value, safe=safe, encoding=encoding, errors=errors)


def structured_data(article, url, request):
    """schema.org MedicalWebPage describing the article, its authors and its funder."""
    people = [
        {
            "@type": "Person",
            "name": expert.name,
            "jobTitle": expert.role or None,
            "affiliation": {"@type": "Organization", "name": expert.institution}
            if expert.institution
            else None,
            "url": request.build_absolute_uri(expert.get_absolute_url()),
        }
        for expert in article.ordered_experts
    ]
    brand = current_brand()
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": article.title,
        "headline": article.title[:110],
        "description": article.summary,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "lastReviewed": article.last_reviewed.isoformat() if article.last_reviewed else None,
        "audience": {"@type": "MedicalAudience", "audienceType": "Clinician"},
        "about": [{"@type": "Thing", "name": topic.name} for topic in article.topics.all()],
        "author": people or None,
        "publisher": {
            "@type": "Organization",
            "name": brand.name,
            "logo": request.build_absolute_uri(brand.logo_url or static("favicon.svg")),
        },
        "funder": {"@type": "Organization", "name": article.sponsor.name}
        if article.sponsor
        else None,
        "citation": [
            {
                "@type": "CreativeWork",
                "name": ref.title,
                "author": ref.authors,
                "url": ref.url or None,
            }
            for ref in article.references.all()
        ],
        "timeRequired": f"PT{article.reading_minutes}M",
    }
    return _without_empty(data)


def _without_empty(value):
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
