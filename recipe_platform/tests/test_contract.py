"""The deployment contract every project keeps (``shared.contract``), run against this one.

Each class holds the contract's tests as they are; this project only says who it is. A rule
that only the recipe platform has lives in the test module of its subject instead.
"""

import pytest
from shared.contract import Deployment
from shared.contract.cache import SharedCacheContract
from shared.contract.client_ip import ClientIpContract
from shared.contract.composed import ComposedContract
from shared.contract.csp import ContentSecurityPolicyContract
from shared.contract.csrf import CsrfContract
from shared.contract.demo import DemoDataContract
from shared.contract.failures import (
    DatabaseOutageBeforeAnyViewContract,
    DatabaseOutageContract,
    ServerErrorContract,
)
from shared.contract.health import HealthContract
from shared.contract.hygiene import AdminViewOnSiteContract, IntegerLookupsContract, ReadmeContract
from shared.contract.lockout import LoginLockoutContract
from shared.contract.query_links import QueryLinksContract
from shared.contract.server import GunicornConfigContract, StaticFilesContract
from shared.contract.session_user import SessionUserContract
from shared.contract.sessions import SessionsContract
from shared.contract.settings import ProductionSettingsContract
from shared.contract.statistics import PlannerStatisticsContract
from shared.contract.worker import (
    MaintenanceContract,
    RunningWorkerContract,
    WorkerCommandContract,
)

from recipes.models import Category
from tests.processes import PROJECT_DIR


@pytest.fixture(scope="session")
def deployment():
    return Deployment(
        name="recipe_platform",
        project_dir=PROJECT_DIR,
        queue_name="recipe_platform",
        retry_after_seconds=10,
    )


class TestProductionSettings(ProductionSettingsContract):
    pass


class TestHealth(HealthContract):
    pass


class TestSharedCache(SharedCacheContract):
    pass


class TestGunicornConfig(GunicornConfigContract):
    pass


class TestStaticFiles(StaticFilesContract):
    pass


class TestDemoData(DemoDataContract):
    pass


class TestIntegerLookups(IntegerLookupsContract):
    pass


class TestClientIp(ClientIpContract):
    pass


class TestLoginLockout(LoginLockoutContract):
    pass


class TestContentSecurityPolicy(ContentSecurityPolicyContract):
    pass


class TestCsrf(CsrfContract):
    pass


class TestMaintenance(MaintenanceContract):
    pass


class TestWorkerCommand(WorkerCommandContract):
    pass


class TestRunningWorker(RunningWorkerContract):
    pass


class TestDatabaseOutage(DatabaseOutageContract):
    pass


class TestDatabaseOutageBeforeAnyView(DatabaseOutageBeforeAnyViewContract):
    pass


class TestServerError(ServerErrorContract):
    pass


class TestReadme(ReadmeContract):
    pass


class TestAdminViewOnSite(AdminViewOnSiteContract):
    pass


class TestPlannerStatistics(PlannerStatisticsContract):
    pass


class TestSessions(SessionsContract):
    pass


class TestSessionUser(SessionUserContract):
    pass


class TestComposed(ComposedContract):
    composed_model = Category
    composed_text_field = "name"


class TestQueryLinks(QueryLinksContract):
    pass
