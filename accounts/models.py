"""The Hub's readers: an email-only user with an HCP profile, interests and bookmarks."""

import secrets

from asgiref.sync import sync_to_async
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from articles.models import Article, Topic
from articles.vocabulary import Profession, Specialty


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


def new_feed_key():
    """256 random bits, URL-safe: the secret in a reader's personal feed addresses."""
    return secrets.token_urlsafe(32)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    profession = models.CharField(
        _("profession"), max_length=20, choices=Profession.choices, blank=True
    )
    specialty = models.CharField(
        _("specialty"), max_length=120, choices=Specialty.choices, blank=True
    )
    country = CountryField(_("country"), blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    hcp_declared_at = models.DateTimeField(
        _("declared a healthcare professional at"), null=True, blank=True
    )
    interests = models.ManyToManyField(
        Topic, verbose_name=_("areas of interest"), blank=True, related_name="followers"
    )
    hubs = models.ManyToManyField(
        "hubs.Hub",
        verbose_name=_("hubs they edit"),
        blank=True,
        related_name="editors",
        help_text=_(
            "Staff see and change only these hubs’ content in the admin (superusers: all)."
        ),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the editors' admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Unique, so a feed request finds its reader through the index, never by scanning.
    feed_key = models.CharField(
        _("personal feed key"), max_length=64, unique=True, default=new_feed_key, editable=False
    )

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def reset_feed_key(self):
        """New personal feed addresses; the old ones stop working at once."""
        self.feed_key = new_feed_key()
        self.save(update_fields=["feed_key"])

    @cached_property
    def has_two_factor(self):
        """Whether an authenticator app (TOTP) is set up; asked once per loaded user."""
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()

    # Every permission, a superuser's included, needs two-factor authentication: a
    # password alone opens no editor's power anywhere (admin, draft previews, ...).
    # Django's PermissionsMixin answers True early for active superusers, so the
    # check sits here, after the ordinary answer, and readers without permissions
    # never pay for the authenticator look-up. has_perms() and ahas_perms() ask
    # these one permission at a time.
    #
    # A page whose rendering asked about a permission may differ from one reader to
    # the next (a draft preview): `permissions_consulted` tells the page cache never
    # to share it (pagecache.members).
    permissions_consulted = False

    def has_perm(self, perm, obj=None):
        self.permissions_consulted = True
        return super().has_perm(perm, obj) and self.has_two_factor

    def has_module_perms(self, app_label):
        self.permissions_consulted = True
        return super().has_module_perms(app_label) and self.has_two_factor

    async def ahas_perm(self, perm, obj=None):
        return await super().ahas_perm(perm, obj) and await self._ahas_two_factor()

    async def ahas_module_perms(self, app_label):
        return await super().ahas_module_perms(app_label) and await self._ahas_two_factor()

    async def _ahas_two_factor(self):
        return await sync_to_async(lambda: self.has_two_factor)()


class Bookmark(models.Model):
    """An article a reader saved to read later: at most one per reader and article."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(_("bookmarked at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        constraints = [
            models.UniqueConstraint(fields=["user", "article"], name="accounts_bookmark_once"),
        ]

    def __str__(self):
        return f"{self.user} → {self.article}"


class PatientOrganisation(models.Model):
    """Where the HCP gate sends patients and carers instead."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("website"))
    description = models.CharField(_("short description"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("shown on the gate"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("patient organisation")
        verbose_name_plural = _("patient organisations")

    def __str__(self):
        return self.name


class Session(AbstractBaseSession):
    """Django's database session with the reader it logs in as a column (Django's
    documented way to extend the session model): one query reads a session and its
    reader (accounts.sessions), and deleting a reader ends their sessions at once."""

    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
