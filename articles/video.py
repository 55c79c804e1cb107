"""How an article's video is shown: a file plays in place; hosted videos load on request.

YouTube and Vimeo embeds set cookies and call third parties, so the page shows a
link and a button, and the player is only created after the reader asks for it.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

VIDEO_FILE = re.compile(r"\.(mp4|webm|ogv|mov)$", re.IGNORECASE)
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


@dataclass(frozen=True)
class VideoEmbed:
    kind: str  # "file", "youtube", "vimeo" or "link"
    url: str
    embed_url: str = ""
    provider: str = ""


def _youtube_id(url):
    if url.hostname in ("youtu.be", "www.youtu.be"):
        candidate = url.path.strip("/")
    elif url.path.startswith(("/embed/", "/shorts/", "/live/")):
        candidate = url.path.split("/")[2]
    else:
        candidate = parse_qs(url.query).get("v", [""])[0]
    return candidate if YOUTUBE_ID.match(candidate) else ""


def video_embed(address):
    url = urlparse(address)
    host = (url.hostname or "").removeprefix("www.").removeprefix("m.")
    if VIDEO_FILE.search(url.path):
        return VideoEmbed("file", address)
    if host in ("youtube.com", "youtu.be", "youtube-nocookie.com"):
        video_id = _youtube_id(url)
        if video_id:
            return VideoEmbed(
                "youtube",
                f"https://www.youtube.com/watch?v={video_id}",
                f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1",
                "YouTube",
            )
    if host in ("vimeo.com", "player.vimeo.com"):
        digits = re.search(r"/(\d{5,12})(?:/|$)", url.path)
        if digits:
            return VideoEmbed(
                "vimeo",
                f"https://vimeo.com/{digits.group(1)}",
                f"https://player.vimeo.com/video/{digits.group(1)}?dnt=1&autoplay=1",
                "Vimeo",
            )
    return VideoEmbed("link", address)
