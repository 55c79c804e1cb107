"""The editors' side of quizzes: the quiz editor, its outcomes pages and the readers'
records, one module each, registering their admins when imported here."""

from quizzes.admin import quiz, records

__all__ = ["quiz", "records"]
