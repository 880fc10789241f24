"""Numbers past the database's integer range match no row instead of crashing the query.

SQLite's driver cannot bind an integer past 64 bits; Django guards ``exact``/``gt``/``lt`` on an
integer column but not ``in`` nor the lookups across a relation (config/integer_lookups.py).
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db

HUGE = 2**64


@pytest.fixture
def member(user):
    group = Group.objects.create(name="members")
    user.groups.add(group)
    return user


def test_in_drops_values_no_row_can_hold(member):
    users = get_user_model().objects

    assert list(users.filter(pk__in=[HUGE, member.pk])) == [member]
    assert list(users.filter(pk__in=[HUGE, -HUGE])) == []


def test_exact_across_a_relation_matches_nothing(member):
    assert not get_user_model().objects.filter(groups__exact=HUGE).exists()
    assert not get_user_model().objects.filter(groups__in=[HUGE]).exists()


def test_comparisons_across_a_relation_are_decided_without_the_database(member):
    users = get_user_model().objects

    assert list(users.filter(groups__lt=HUGE)) == [member]
    assert list(users.filter(groups__lte=HUGE)) == [member]
    assert list(users.filter(groups__gt=-HUGE)) == [member]
    assert list(users.filter(groups__gte=-HUGE)) == [member]
    assert not users.filter(groups__gt=HUGE).exists()
    assert not users.filter(groups__lt=-HUGE).exists()


def test_values_in_range_are_untouched(member):
    group = member.groups.get()

    assert list(get_user_model().objects.filter(groups__in=[group.pk])) == [member]
    assert list(get_user_model().objects.filter(groups__exact=group.pk)) == [member]
