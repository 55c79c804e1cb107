"""Editor-written Markdown to safe HTML, with citations and trial links.

Runs once when an article is saved, never per request. The order matters: the
editor's HTML is sanitised first, then the Hub adds its own trusted markup
(citation superscripts, ClinicalTrials.gov links) to the text between tags.
"""

import math
import re
from html import unescape

import nh3
from django.utils.text import slugify
from markdown_it import MarkdownIt

WORDS_PER_MINUTE = 200

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li",
    "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_markdown.enable("table")

CITATION = re.compile(r"\[(\d{1,3}(?:\s*[-–,]\s*\d{1,3})*)\]")
NCT_ID = re.compile(r"\bNCT\d{8}\b")
TAG = re.compile(r"(<[^>]+>)")
H1 = re.compile(r"<(/?)h1(\s[^>]*)?>", re.IGNORECASE)
# Text inside these elements is left alone: it is already a link, or it is code.
SKIP_INSIDE = {"a", "code", "pre"}


def _same_site_images(tag, attribute, value):
    # Images from other hosts would be blocked by the CSP and would tell them who reads.
    if (
        tag == "img"
        and attribute == "src"
        and not (value.startswith("/") and not value.startswith("//"))
    ):
        return None
    return value


def sanitise(html):
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_same_site_images,
    )


def markdown_to_html(text, reference_count=0, seen=None):
    """Render Markdown (raw HTML allowed, then sanitised) and link citations and trials.

    The page title is the only <h1>, so Markdown's top-level headings become <h2>.
    Pass the same `seen` dict when rendering several fields of one page, so each
    citation anchor id stays unique across them.
    """
    if not text.strip():
        return ""
    html = H1.sub(r"<\1h2\2>", _markdown.render(text))
    return link_citations_and_trials(sanitise(html), reference_count, seen)


def _citation_numbers(group):
    numbers = []
    for part in re.split(r"\s*,\s*", group):
        bounds = [int(n) for n in re.split(r"\s*[-–]\s*", part)]
        if len(bounds) == 2 and bounds[0] < bounds[1] <= bounds[0] + 50:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def link_citations_and_trials(html, reference_count, seen=None):
    """Turn [1] / [1,2] / [1-3] into superscript links and NCT ids into trial links."""
    seen = {} if seen is None else seen

    def citation(match):
        numbers = _citation_numbers(match.group(1))
        if not numbers or any(not 1 <= n <= reference_count for n in numbers):
            return match.group(0)
        links = []
        for n in numbers:
            seen[n] = seen.get(n, 0) + 1
            anchor = f"cite-{n}" if seen[n] == 1 else f"cite-{n}-{seen[n]}"
            links.append(f'<a href="#ref-{n}" id="{anchor}">{n}</a>')
        return f'<sup class="citation">[{",".join(links)}]</sup>'

    def trial(match):
        nct = match.group(0)
        return f'<a class="trial-link" href="https://clinicaltrials.gov/study/{nct}">{nct}</a>'

    out = []
    open_skips = 0
    for chunk in TAG.split(html):
        if chunk.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", chunk)
            if name and name.group(1).lower() in SKIP_INSIDE:
                open_skips += -1 if chunk.startswith("</") else 1
            out.append(chunk)
        elif open_skips > 0:
            out.append(chunk)
        else:
            out.append(NCT_ID.sub(trial, CITATION.sub(citation, chunk)))
    return "".join(out)


# The body's section headings, as Markdown and the sanitiser leave them (no attributes)
# or as heading_ids() left them (with an id, nothing else).
HEADING = re.compile(r'<h([23])(?: id="([^"]*)")?>(.*?)</h\1>', re.IGNORECASE | re.DOTALL)
CITATION_MARK = re.compile(r'<sup class="citation">.*?</sup>', re.DOTALL)
# Ids the article page gives its own parts: a heading's id must not take one of them.
PAGE_IDS = re.compile(
    r"^(main|live-status|translate-widget|contents|.*-title|(ref|cite|objective)-\d.*)$"
)


def heading_ids(html):
    """Give each h2 and h3 of a rendered body a stable id made from its words, so the
    page's contents can link to it; headings that have one keep it."""
    used = {match.group(2) for match in HEADING.finditer(html) if match.group(2)}

    def with_id(match):
        level, given, inner = match.groups()
        if given:
            return match.group(0)
        text = CITATION.sub("", plain_text(CITATION_MARK.sub("", inner)))
        base = slugify(text)[:60].strip("-") or "section"
        if PAGE_IDS.match(base):
            base = f"section-{base}"
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        return f'<h{level} id="{candidate}">{inner}</h{level}>'

    return HEADING.sub(with_id, html)


def headings(html):
    """[(level, id, text)] of the body's h2 and h3 headings that have an id."""
    return [
        (int(level), given, plain_text(CITATION_MARK.sub("", inner)))
        for level, given, inner in HEADING.findall(html)
        if given
    ]


def plain_text(html):
    """The words of an HTML fragment, for reading time and search."""
    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html))).strip()


def reading_minutes(*texts):
    words = sum(len(text.split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
