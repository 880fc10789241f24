"""PostgreSQL restarts under gunicorn: a clean, fast 503 meanwhile, then the same server recovers.

A throwaway PostgreSQL cluster (``shared.services.throwaway_postgres``) serves gunicorn, run with
the production settings and persistent connections (``CONN_MAX_AGE`` 60 s). It is stopped the
way a restart stops it (every session ended): anonymous and logged-in pages, a form sent and
``/healthz`` answer 503 at once, with ``Retry-After`` and the friendly page, never a traceback.
Once it is back the same gunicorn answers 200 again: health-checked connections are replaced;
and the task worker, which lost the database too, works again (a deletion's files go).
"""

from __future__ import annotations

import json

import pytest
from shared.images import make_image
from shared.services import throwaway_postgres

from tests.faults.deployment import PASSWORD, Deployment, eventually
from tests.faults.visitor import Visitor

pytestmark = pytest.mark.faults


def test_a_database_restart_is_a_clean_503_and_the_server_recovers(tmp_path, collected_static):
    with throwaway_postgres() as postgres:
        deployment = Deployment(
            tmp_path,
            collected_static,
            DATABASE_URL=postgres.create_database("recipes"),
            DJANGO_CONN_MAX_AGE="60",
        )
        slugs = deployment.prepare()
        with deployment.serving() as server, deployment.working() as worker_log:
            anonymous, cook = Visitor(server.address), Visitor(server.address)
            assert cook.log_in("cook", PASSWORD).status == 302
            for _ in range(4):  # both workers hold a persistent connection
                assert anonymous.get(f"/recipes/{slugs[0]}/").status == 200
                assert cook.get("/recipes/mine/").status == 200
            token = cook.csrf_token("/recipes/new/")
            # The task worker is at work: a deletion's files (the photo and its thumbnail) go.
            stored = len(deployment.stored_files())
            assert cook.post(f"/recipes/{slugs[2]}/delete/", {}).status == 302
            eventually(lambda: len(deployment.stored_files()) == stored - 2)
            assert not deployment.audit()["stored_unused"]

            postgres.stop(mode="fast")
            during = {
                "list": anonymous.get("/recipes/"),
                "recipe": anonymous.get(f"/recipes/{slugs[0]}/"),
                "my recipes": cook.get("/recipes/mine/"),
                # A form sent just as the database went away.
                "new recipe": cook.post("/recipes/new/", {"title": "Soup"}, token=token),
                "healthz": anonymous.get("/healthz"),
            }

            assert {name: answer.status for name, answer in during.items()} == dict.fromkeys(
                during, 503
            )
            for answer in during.values():
                assert answer.seconds < 2
                assert "Traceback" not in answer.body
            for name in ("list", "recipe", "my recipes", "new recipe"):
                assert during[name].headers["Retry-After"] == "10"
                assert "Back in a moment" in during[name].body
            health = json.loads(during["healthz"].body)
            assert (health["status"], health["database"]) == ("unavailable", "unavailable")
            eventually(lambda: "The task worker lost the database" in worker_log.read_text())

            postgres.start()
            eventually(lambda: anonymous.get("/healthz").status == 200)
            for _ in range(4):  # every worker, on a new connection
                assert anonymous.get(f"/recipes/{slugs[0]}/").status == 200
                assert cook.get("/recipes/mine/").status == 200
            published = cook.post(
                "/recipes/new/",
                {
                    "title": "After the restart",
                    "paste_ingredients": "water",
                    "ingredients-TOTAL_FORMS": "0",
                    "ingredients-INITIAL_FORMS": "0",
                    "instructions": "Boil.",
                    "prep_minutes": "1",
                    "cook_minutes": "1",
                    "servings": "1",
                    "image_alt": "A pot",
                },
                files={"image": ("pot.jpg", make_image("JPEG"))},
            )
            assert published.status == 302
            assert server.process.poll() is None  # the same gunicorn throughout

            # The task worker, which lost the database too, works again.
            stored = len(deployment.stored_files())
            assert cook.post(f"/recipes/{slugs[1]}/delete/", {}).status == 302
            eventually(lambda: len(deployment.stored_files()) == stored - 2, timeout=15)

        audit = deployment.audit()
        assert audit["recipes"] == 2
        assert audit["named_but_missing"] == audit["stored_unused"] == []
