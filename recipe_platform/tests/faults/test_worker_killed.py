"""A gunicorn worker killed (SIGKILL) in the middle of a burst of photo uploads.

Six cooks' browsers send 24 recipes with photos at once to gunicorn's two sync workers, so both
are always busy; twice during the burst one worker is killed with SIGKILL, wherever it is: in
the image pipeline, between storing the files and saving the recipe, in the middle of the
transaction. gunicorn replaces it. Whatever the killed requests left behind, no recipe may point
at a missing file, no two recipes may share one, and every stored file must be named by a recipe
or recorded as unused; the clean-up, run when those records are due (an hour later), must leave
exactly the files the recipes name. Since most of a request's time is spent in the image
pipeline, a second test kills a process at the narrowest moment, after its files are stored and
before its recipe is committed, every time.
"""

from __future__ import annotations

import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from shared.images import make_image

from tests.faults.deployment import PASSWORD, SETTINGS, worker_pids
from tests.faults.visitor import Visitor
from tests.processes import run_python

pytestmark = pytest.mark.faults

UPLOADS = 24
BROWSERS = 6
KILL_AFTER = (4, 12)  # answers received before each kill

CLEAN_UP_AN_HOUR_LATER = """
import json
from datetime import timedelta
from unittest import mock

import django

django.setup()
from django.utils import timezone

from recipes import cleanup, images

later = timezone.now() + images.UNCLAIMED_MARGIN + timedelta(minutes=1)
with mock.patch("django.utils.timezone.now", return_value=later):
    print(json.dumps(cleanup.delete_orphaned_images()))
"""


def test_a_killed_worker_leaves_no_recipe_without_its_files(deployment, seeded_site):
    deployment.restore(seeded_site)
    photo = make_image("JPEG", size=(2400, 1800))  # a few tenths of a second in the pipeline
    with deployment.serving() as server:
        browsers = [Visitor(server.address) for _ in range(BROWSERS)]
        tokens = []
        for browser in browsers:
            assert browser.log_in("cook", PASSWORD).status == 302
            tokens.append(browser.csrf_token("/recipes/new/"))
        answered = threading.Semaphore(0)
        killed = []

        def upload(number: int) -> int | str:
            browser = number % BROWSERS
            try:
                answer = browsers[browser].post(
                    "/recipes/new/",
                    {
                        "title": f"Burst {number}",
                        "paste_ingredients": "flour",
                        "ingredients-TOTAL_FORMS": "0",
                        "ingredients-INITIAL_FORMS": "0",
                        "instructions": "Bake.",
                        "prep_minutes": "5",
                        "cook_minutes": "20",
                        "servings": "4",
                        "image_alt": "A loaf",
                    },
                    files={"image": (f"loaf-{number}.jpg", photo)},
                    token=tokens[browser],
                )
            except OSError as error:  # the connection of a request whose worker was killed
                return type(error).__name__
            finally:
                answered.release()
            return answer.status

        with ThreadPoolExecutor(BROWSERS) as pool:
            results = [pool.submit(upload, number) for number in range(UPLOADS)]
            received = 0
            for target in KILL_AFTER:
                while received < target:
                    answered.acquire()
                    received += 1
                victim = worker_pids(server)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            outcomes = [result.result() for result in results]

        assert not [outcome for outcome in outcomes if isinstance(outcome, int) and outcome >= 500]
        assert outcomes.count(302) >= UPLOADS - len(KILL_AFTER) * 2
        assert set(worker_pids(server)).isdisjoint(killed)  # replaced by gunicorn
        assert Visitor(server.address).get("/healthz").status == 200

    audit = deployment.audit()
    # A killed request may have committed its recipe before it could answer.
    assert 3 + outcomes.count(302) <= audit["recipes"] <= 3 + UPLOADS
    assert audit["named_twice"] == []
    assert audit["named_but_missing"] == []
    assert audit["stored_unaccounted"] == []

    after = deployment.audit(after=CLEAN_UP_AN_HOUR_LATER)
    assert after["stored_unused"] == []
    assert after["named_but_missing"] == []
    assert after["recipes"] == audit["recipes"]


KILLED_WHILE_SAVING = """
import os
import signal
from unittest import mock

import django

django.setup()
from shared.images import make_uploaded_image

from accounts.models import User
from recipes import images, services
from recipes.models import Recipe

recipe = Recipe(
    author=User.objects.get(username="cook"), title="Never saved",
    instructions="Bake.", prep_minutes=5, cook_minutes=20, servings=4,
)
photo = images.process_upload(make_uploaded_image(size=(800, 600)))


def killed(recipe):  # the process dies inside the save's transaction, after the files are stored
    os.kill(os.getpid(), signal.SIGKILL)


with mock.patch.object(services, "_save_with_free_slug", side_effect=killed):
    services.save_recipe(recipe=recipe, categories=[], image=photo, image_alt="A loaf")
"""


def test_a_process_killed_between_storing_a_photo_and_saving_its_recipe(deployment, seeded_site):
    """The narrowest moment a kill can hit, made certain: the burst above rarely lands there."""
    recipes_before = len(deployment.restore(seeded_site))

    killed = run_python(SETTINGS, KILLED_WHILE_SAVING, **deployment.env)

    assert killed.returncode == -signal.SIGKILL
    audit = deployment.audit()
    assert audit["recipes"] == recipes_before
    assert len(audit["stored_unused"]) == 2  # written, and recorded as unused
    assert audit["stored_unaccounted"] == []
    assert deployment.audit(after=CLEAN_UP_AN_HOUR_LATER)["stored_unused"] == []
