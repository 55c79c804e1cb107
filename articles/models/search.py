"""What search knows besides the articles: the names a medicine goes by."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from articles.search_text import MAX_PHRASE_WORDS, words


class SearchSynonym(models.Model):
    """Terms search treats as one: an INN, its abbreviation and its brand names, say."""

    terms = models.TextField(
        _("equivalent terms"),
        help_text=_(
            "One per line, e.g. cilta-cel, ciltacabtagene autoleucel and Carvykti. A search "
            "for any of them finds articles that use any other."
        ),
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return " = ".join(self.term_list())

    def term_list(self):
        return [term.strip() for term in self.terms.splitlines() if term.strip()]

    def spellings(self):
        """Each term as the words search compares: {("cilta", "cel"), ("carvykti",), …}."""
        return {tuple(words(term)) for term in self.term_list()} - {()}

    def clean(self):
        self.terms = "\n".join(dict.fromkeys(self.term_list()))
        if any(len(spelling) > MAX_PHRASE_WORDS for spelling in self.spellings()):
            raise ValidationError(
                {
                    "terms": _("A term can have at most %(count)d words.")
                    % {"count": MAX_PHRASE_WORDS}
                }
            )
        if len(self.spellings()) < 2:
            raise ValidationError(
                {
                    "terms": _(
                        "Give at least two different terms, one per line, with letters or digits."
                    )
                }
            )


class SearchTerm(models.Model):
    """A word search knows, for "did you mean": from titles, topics, synonyms and experts.

    Rebuilt after editors change any of those (articles.search.refresh_search_terms); on
    PostgreSQL a trigram index (pg_trgm) finds the words that look like a reader's typo.
    """

    term = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self):
        return self.term
