"""Which player an article's video address gets."""

import pytest

from articles.video import video_embed


@pytest.mark.parametrize(
    ("address", "kind", "embed"),
    [
        ("https://cdn.example.org/talk.mp4", "file", ""),
        ("https://cdn.example.org/talk.WEBM?token=1", "file", ""),
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
        ),
        (
            "https://vimeo.com/123456789",
            "vimeo",
            "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1",
        ),
        ("https://www.youtube.com/watch?v=<script>", "link", ""),
        ("https://example.org/some/page", "link", ""),
    ],
)
def test_video_kinds(address, kind, embed):
    video = video_embed(address)

    assert video.kind == kind
    assert video.embed_url == embed
