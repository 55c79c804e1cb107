"""The brand for every page: `brand`, `site_name` and the absolute social image address."""

from brand.models import current


def brand(request):
    values = current()
    social = values.social_image_url
    if social and "://" not in social:
        social = request.build_absolute_uri(social)
    return {
        "brand": values,
        "site_name": values.name,
        # For og:image on pages without an image of their own (absolute, as sharers need).
        "brand_social_image_url": social,
    }
