"""The custom user model, in place from migration 0001 so it never has to be swapped later."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Role(models.TextChoices):
    """What a member of practice staff does; shapes what the app shows and is recorded in audits."""

    GP = "gp", "GP"
    NURSE = "nurse", "Practice nurse"
    PHYSIO = "physio", "Physiotherapist"
    ADMIN = "admin", "Practice manager / admin"


# The roles that do clinical work: only they assess patients, on the web and through the API.
CLINICAL_ROLES = (Role.GP, Role.NURSE, Role.PHYSIO)


class User(AbstractUser):
    """A member of practice staff."""

    Role = Role

    # No default: every account states its role, including those made by createsuperuser.
    role = models.CharField(max_length=16, choices=Role.choices)

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values),
                name="accounts_user_role_valid",
            ),
        ]
