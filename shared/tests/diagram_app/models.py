"""A small library of models that uses every shape ``shared.model_diagram`` draws."""

# ruff: noqa: DJ008 - never displayed: these models exist only to be drawn.

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower


class Member(AbstractBaseUser):
    email = models.EmailField(unique=True)
    # Redeclared: the diagram shows it as the project's own field.
    password = models.CharField(max_length=200)

    USERNAME_FIELD = "email"


class Shelf(models.Model):
    name = models.CharField(max_length=40)
    keeper = models.OneToOneField(Member, on_delete=models.CASCADE, null=True)


class Tag(models.Model):
    label = models.SlugField(unique=True)


class Book(models.Model):
    shelf = models.ForeignKey(Shelf, on_delete=models.PROTECT, related_name="books")
    editor = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, related_name="+")
    status = models.CharField(
        max_length=8, choices=[("draft", "Draft"), ("out", "Out")], db_index=True
    )
    price = models.DecimalField(max_digits=6, decimal_places=2)
    list_price = models.DecimalField(max_digits=6, decimal_places=2)
    tags = models.ManyToManyField(Tag)
    readers = models.ManyToManyField(Member, through="Loan", related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0) & Q(price__lte=F("list_price")),
                name="book_price_in_range",
            ),
            models.UniqueConstraint(
                fields=["shelf"], condition=Q(status="out"), name="one_book_out_per_shelf"
            ),
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(editor__isnull=False),
                name="draft_has_editor",
            ),
            models.UniqueConstraint(Lower("status"), F("shelf"), name="status_unique_per_shelf"),
        ]


class Loan(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE)
    member = models.ForeignKey(Member, on_delete=models.CASCADE)
