"""What a fresh process pays to start: every gunicorn worker, the task worker and each
``manage.py`` command loads the settings, the apps and the URLs before doing anything.

Heavy optional libraries are imported where they are used, not at start-up: the importer's
recipe-scrapers (with BeautifulSoup, html5lib and RDFa parsers, about a second) only when a
page is parsed, Redis only when ``REDIS_URL`` is set, boto3 only when a bucket is named.
"""

from shared.processes import PRODUCTION

from tests.processes import run_python

LOADED_BY_CHECK = """
import sys

from django.core.management import execute_from_command_line

execute_from_command_line(["manage.py", "check"])
print(" ".join(sorted(sys.modules)))
"""


def test_manage_py_check_loads_no_heavy_library_that_the_configuration_does_not_use():
    result = run_python("config.settings.production", LOADED_BY_CHECK, **PRODUCTION)

    assert result.returncode == 0, result.stderr
    modules = set(result.stdout.splitlines()[-1].split())
    assert "importer.views" in modules  # the URLs were loaded, the import page's view with them
    packages = {name.partition(".")[0] for name in modules}
    assert not packages & {"recipe_scrapers", "bs4", "html5lib", "extruct", "boto3", "redis"}
