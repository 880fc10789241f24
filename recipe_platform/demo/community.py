"""Demo ratings, comments and favourites, so the cards show averages and the pages have content.

Three neighbours (accounts without a usable password: they only exist to have opinions) rate
and comment; the ``cook`` and ``admin`` accounts rate each other's recipes and save favourites;
one neighbour's comment on a ``cook`` recipe is hidden by ``cook``, so the moderation shows in
the admin. Idempotent: what exists already is left alone.
"""

from __future__ import annotations

from accounts.models import User
from community import services
from community.models import Comment, Rating
from recipes.models import Recipe

NEIGHBOURS = ("amira", "bastien", "chen")
_COMMENTS = (
    "Made this on Sunday, the whole family asked for seconds.",
    "I added a pinch of smoked paprika. Lovely!",
    "Halved the sugar and it was still plenty sweet.",
    "Quick, cheap and tasty: a weeknight keeper.",
)
HIDDEN_COMMENT = "Cheap watches at my website, click here!!!"


def seed_community(accounts: dict[str, User]) -> int:
    """Rate, comment and save favourites on the demo recipes; returns the ratings created."""
    neighbours = [_neighbour(name) for name in NEIGHBOURS]
    recipes = list(Recipe.objects.filter(author__in=accounts.values()).order_by("-created", "-id"))
    created = 0
    for index, recipe in enumerate(recipes):
        raters = [*neighbours, *(user for user in accounts.values() if user.pk != recipe.author_id)]
        for offset, rater in enumerate(raters[: 2 + index % 4]):
            if Rating.objects.filter(recipe=recipe, user=rater).exists():
                continue
            services.rate(recipe=recipe, user=rater, stars=5 - (index + offset) % 3)
            created += 1
        if index % 2 == 0 and not Comment.objects.filter(recipe=recipe).exists():
            services.add_comment(
                recipe=recipe, author=neighbours[index % 3], body=_COMMENTS[index % 4]
            )
    _favourites(accounts["cook"], recipes)
    _hidden_comment(accounts["cook"], neighbours[1], recipes)
    return created


def _neighbour(username: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _favourites(cook: User, recipes: list[Recipe]) -> None:
    for recipe in [recipe for recipe in recipes if recipe.author_id != cook.pk][:5]:
        services.save_favourite(recipe=recipe, user=cook)


def _hidden_comment(cook: User, spammer: User, recipes: list[Recipe]) -> None:
    own = next((recipe for recipe in recipes if recipe.author_id == cook.pk), None)
    if own is None or Comment.objects.filter(recipe=own, body=HIDDEN_COMMENT).exists():
        return
    spam = services.add_comment(recipe=own, author=spammer, body=HIDDEN_COMMENT)
    services.hide_comment(comment=spam, moderator=cook)
