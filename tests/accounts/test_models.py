import pytest
from django.db import IntegrityError

from apps.accounts.models import Role, User


def test_role_choices_are_the_four_practice_roles():
    assert Role.choices == [
        ("gp", "GP"),
        ("nurse", "Practice nurse"),
        ("physio", "Physiotherapist"),
        ("admin", "Practice manager / admin"),
    ]


def test_user_role_field_uses_role_choices():
    field = User._meta.get_field("role")
    assert field.choices == Role.choices
    assert field.blank is False


def test_user_role_is_required_by_createsuperuser():
    assert "role" in User.REQUIRED_FIELDS


def test_user_role_display_is_the_label(make_user):
    user = make_user(role=Role.PHYSIO)
    assert user.get_role_display() == "Physiotherapist"


@pytest.mark.django_db
def test_user_without_valid_role_is_rejected_by_database():
    with pytest.raises(IntegrityError):
        User.objects.create_user(username="nobody", password="x", role="surgeon")
