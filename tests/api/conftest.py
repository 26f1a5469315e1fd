import pytest

from apps.api.services import api_token_create


@pytest.fixture
def token(make_user) -> str:
    _, raw = api_token_create(user=make_user("api-gp"), name="tests")
    return raw


@pytest.fixture
def auth(token) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}
