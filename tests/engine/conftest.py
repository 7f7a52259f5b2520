import pytest
from engine_helpers import make_case

from openimr.models.case import CaseFile


@pytest.fixture
def case() -> CaseFile:
    return make_case()
