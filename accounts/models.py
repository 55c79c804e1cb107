"""The Hub's readers: an email-only user with an HCP profile, interests and bookmarks."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
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
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the editors' admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

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
