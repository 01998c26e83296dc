from tests.intake.conftest import *  # noqa: F401,F403  (browser fixtures)
from tests.staff.conftest import Team, other_web, team, web  # noqa: F401
