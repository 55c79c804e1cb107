"""Lines other apps add to the "My account" overview, without accounts naming them.

The project registers them in its AppConfig.ready() (e.g. the quiz history).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    url_name: str
    label: str
    description: str


_sections = []


def register(url_name, label, description):
    section = Section(url_name, label, description)
    if section not in _sections:
        _sections.append(section)


def sections():
    return list(_sections)
