from django.db import models


class ContentVersion(models.Model):
    """One row: the version of what shared pages show.

    Every change to content bumps it in the change's own transaction (pagecache.purge),
    so it is committed, or rolled back, with the change. Copies of pages kept in an app
    server's memory are tagged with it and trusted only while it holds (on PostgreSQL a
    LISTEN connection hears each new version as it commits; elsewhere it is read).
    """

    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="one_content_version")]

    def __str__(self):
        return f"content version {self.number}"
