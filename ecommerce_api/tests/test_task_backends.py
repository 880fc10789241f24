"""Which queue the tasks go to: the database by default, RQ when ``REDIS_URL`` is set, always a
queue named after the project (settings are read once per process: a fresh one each time)."""

from tests.processes import run_python

TASKS = (
    "import django; django.setup(); from django.conf import settings; "
    "from config.queue import backend_kind, queue_name; "
    "print(backend_kind(), queue_name(), settings.TASKS['default']['QUEUES'], "
    "settings.RQ_QUEUES.get(queue_name()), 'django_rq' in settings.INSTALLED_APPS)"
)


def test_without_redis_the_tasks_go_to_the_projects_own_database():
    result = run_python("config.settings.local", TASKS)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "database",
        "ecommerce_api",
        "['ecommerce_api']",
        "None",
        "False",
    ]


def test_with_redis_the_tasks_go_to_rq_on_a_queue_named_after_the_project():
    result = run_python("config.settings.local", TASKS, REDIS_URL="redis://cache:6379/0")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "rq ecommerce_api ['ecommerce_api'] {'URL': 'redis://cache:6379/0'} True"
    )


def test_the_queue_name_can_be_chosen_per_deployment():
    result = run_python("config.settings.local", TASKS, DJANGO_TASKS_QUEUE="shop-staging")

    assert result.stdout.split()[:2] == ["database", "shop-staging"]


def test_a_queue_name_that_is_not_a_plain_word_is_refused():
    result = run_python("config.settings.local", TASKS, DJANGO_TASKS_QUEUE="Shop Queue!")

    assert result.returncode != 0
    assert "DJANGO_TASKS_QUEUE must be 1 to 32 lowercase letters" in result.stderr
