"""/rules/: the rule catalogue page, built from the rule objects, for logged-in users only."""

import pytest

from core.rules import RECOMMENDATIONS, RULES


@pytest.mark.django_db
def test_catalogue_requires_login(client):
    response = client.get("/rules/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["gp", "nurse", "physio", "admin"])
def test_catalogue_shows_every_recommendation_and_rule(client, make_user, role):
    client.force_login(make_user(role, role=role))
    response = client.get("/rules/")
    assert response.status_code == 200
    html = response.content.decode()
    for rec in RECOMMENDATIONS:
        assert f'id="{rec.id}"' in html
    for rule in RULES:
        assert f'id="rule-{rule.id}"' in html
    assert "Recommendations 9 to 14 are reconstructed" in html
    assert html.count(">reconstructed<") == 6


@pytest.mark.django_db
def test_the_catalogue_can_be_searched_without_javascript(client, make_user):
    client.force_login(make_user("gp", role="gp"))
    html = client.get("/rules/", {"q": "denosumab"}).content.decode()
    shown = {rule.id for rule in RULES if f'id="rule-{rule.id}"' in html}
    assert "bone.denosumab_continuity" in shown and len(shown) < len(RULES)
    assert "match" in html and 'value="denosumab"' in html
    none = client.get("/rules/", {"q": "zzzz-nothing"}).content.decode()
    assert "0 prompts match" in none and not any(f'id="rule-{r.id}"' in none for r in RULES)
