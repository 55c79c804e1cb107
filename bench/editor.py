"""A stand-in for an editor at the admin, for bench/mixed.py: it reads lines of
"<article id> <words>" on standard input, saves the article's summary as those words
(through the ORM, so the page cache hears it as it would an admin save) and answers
"saved <id>" once the change is committed."""

import sys

import django


def main():
    django.setup()
    from django.db import close_old_connections

    from articles.models import Article

    for line in sys.stdin:
        close_old_connections()  # as each request does: a dropped connection is replaced
        pk, _, words = line.strip().partition(" ")
        article = Article.objects.get(pk=int(pk))
        article.summary = words
        article.save()  # autocommit: committed when save() returns
        print(f"saved {pk}", flush=True)


if __name__ == "__main__":
    main()
