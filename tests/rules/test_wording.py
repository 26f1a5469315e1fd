"""Titles and actions read as sentences for every role.

A nurse or physiotherapist sees an instruction that is not theirs to carry out as "Ask the GP to ..." (prompts.md:
"a physiotherapist is told to ask the GP or first-contact practitioner to arrange imaging or treatment"). That
only reads right when what follows is an instruction: "Ask the GP to refer to ...", never "Ask the GP to calcium
and vitamin D". A title that is a heading or a statement has the kind HEADING and reads the same for every role.
"""

from hypothesis import given

from core.rules import evaluate_data
from core.rules.contract import ROLES
from core.rules.recommendation import _DEFER, HEADING, FixedActions, worded
from core.rules.rulebook import RULES

from .conftest import TODAY, load_vignettes
from .test_properties import SETTINGS, VALID

# The verbs an instruction in the rulebook starts with. A new one is added here on purpose.
IMPERATIVES = {
    "Arrange",
    "Continue",
    "Deal",
    "Hold",
    "Repeat",
    "Send",
    "Ask",
    "Assess",
    "Calculate",
    "Check",
    "Code",
    "Examine",
    "Exclude",
    "Explain",
    "Give",
    "Keep",
    "Look",
    "Make",
    "Measure",
    "Offer",
    "Prescribe",
    "Record",
    "Refer",
    "Request",
    "Review",
    "Seek",
    "Start",
    "State",
    "Tell",
}
PREFIXES = sorted({prefix for by_kind in _DEFER.values() for prefix in by_kind.values()}, key=len, reverse=True)


def reads_as_an_instruction(text: str) -> bool:
    """An instruction, or a deferral ("Ask the GP to ...") followed by one in lower case."""
    for prefix in PREFIXES:
        if text.startswith(prefix):
            rest = text.removeprefix(prefix)
            return rest[:1].islower() and rest.split()[0].capitalize() in IMPERATIVES
    return text.split()[0] in IMPERATIVES


def test_a_title_worded_for_a_role_is_an_instruction():
    for rule in RULES:
        for role in ROLES:
            title = rule.title_for(role)
            if title != rule.title:
                assert rule.title_kind != HEADING
                assert rule.title.split()[0] in IMPERATIVES, (rule.id, role, title)
                assert reads_as_an_instruction(title), (rule.id, role, title)


def test_a_heading_reads_the_same_for_every_role():
    headings = [rule for rule in RULES if rule.title_kind == HEADING]
    assert headings  # e.g. "Calcium and vitamin D", "The report confirms a vertebral fracture"
    for rule in headings:
        assert {rule.title_for(role) for role in ROLES} == {rule.title}


def test_every_fixed_action_reads_as_an_instruction_for_every_role():
    for rule in RULES:
        if isinstance(rule.actions, FixedActions):
            for kind, text in rule.actions.actions:
                for role in ROLES:
                    assert reads_as_an_instruction(worded(kind, text, role)), (rule.id, role)


def _check_result(result: dict) -> None:
    for p in result["prompts"]:
        assert p["actions"], p["id"]
        for action in p["actions"]:
            assert reads_as_an_instruction(action), (p["id"], result["assessor_role"], action)


def test_every_action_in_every_vignette_reads_as_an_instruction_for_every_role():
    for case in load_vignettes():
        if "expect" in case:
            for role in ROLES:
                _check_result(evaluate_data({**case["input"], "assessor_role": role}, today=TODAY))


@SETTINGS
@given(VALID)
def test_every_action_reads_as_an_instruction_on_any_input(data):
    _check_result(evaluate_data(data, today=TODAY))


def test_the_check_refuses_what_does_not_read():
    assert not reads_as_an_instruction("Ask the GP to calcium and vitamin D")
    assert not reads_as_an_instruction("Ask the GP or first-contact practitioner to if confirmed, record it")
    assert not reads_as_an_instruction("Calcium and vitamin D")
    assert reads_as_an_instruction("Ask the GP or first-contact practitioner to request a DXA scan")
    assert reads_as_an_instruction("Ask a prescriber (the GP or a nurse prescriber) to prescribe colecalciferol")
