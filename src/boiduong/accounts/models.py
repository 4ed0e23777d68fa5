"""Users and the roles they hold on org units."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from boiduong.core.text import fold

from .roles import Role


class User(AbstractUser):
    """A person who logs in: ministry and provincial officers, inspectors, trainers, teachers."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    workplace = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("workplace"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        help_text=_("The unit the user works at (used for 'tasks my unit leads')."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_(
            "Set when an administrator sets the password; cleared when the user changes it."
        ),
    )
    search_text = models.CharField(max_length=400, editable=False, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @classmethod
    def scope_q(cls, scope) -> Q:
        """A user is within a scope when they work there or hold a role there."""
        held = RoleAssignment.objects.filter(scope.q("org_unit__path")).values("user_id")
        return scope.q("workplace__path") | Q(pk__in=held)

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.full_name} {self.username} {self.email}")
        super().save(*args, **kwargs)


class RoleAssignment(models.Model):
    """A role held by a user on an org unit; it applies to the unit and all units below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "org_unit"], name="accounts_role_assignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="accounts_role_period_order",
            ),
        ]

    scope_path = "org_unit__path"

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.org_unit}"

    def is_current(self, on=None) -> bool:
        from django.utils import timezone

        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )
