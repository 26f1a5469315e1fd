"""Three-valued logic: unknown is never silently false."""

from core.rules.logic import NO, YES, Tri, all_of, any_of, at_least, fact, negate, not_known_true, unknown


def test_fact_keeps_unknown_and_names_the_field():
    assert fact(None, "kyphosis") == Tri(None, frozenset({"kyphosis"}))
    assert fact(True, "kyphosis", "kyphosis").because == ("kyphosis",)
    assert fact(False, "kyphosis") == NO


def test_all_of_is_false_if_any_part_is_false_whatever_is_unknown():
    assert all_of(NO, unknown("a")).value is False
    assert all_of(NO, unknown("a")).missing == frozenset()


def test_all_of_is_unknown_with_only_the_undecided_fields():
    soft = not_known_true(unknown("soft"))
    result = all_of(YES, soft, unknown("a"), unknown("b"))
    assert result.value is None
    assert result.missing == {"a", "b"}


def test_all_of_true_keeps_soft_unknowns_and_reasons():
    result = all_of(Tri(True, because=("x",)), not_known_true(unknown("soft")))
    assert result == Tri(True, frozenset({"soft"}), ("x",))


def test_any_of_true_needs_one_true_part_and_keeps_only_its_reasons():
    result = any_of(unknown("a"), Tri(True, because=("x",)), NO)
    assert result == Tri(True, frozenset(), ("x",))
    assert any_of(NO, unknown("a")) == Tri(None, frozenset({"a"}))
    assert any_of(NO, NO).value is False


def test_any_of_unknown_also_names_what_could_make_a_false_part_true():
    """A part that is false for now but carries unanswered fields (false "so far") could still make the whole true,
    so an undecided OR names those fields too, and a false OR keeps them."""
    false_for_now = Tri(False, frozenset({"b"}))
    assert any_of(unknown("a"), false_for_now) == Tri(None, frozenset({"a", "b"}))
    assert any_of(NO, false_for_now) == Tri(False, frozenset({"b"}))
    assert any_of(unknown("a"), NO) == Tri(None, frozenset({"a"}))


def test_negate_keeps_unknown_unknown():
    assert negate(unknown("a")) == Tri(None, frozenset({"a"}))
    assert negate(YES).value is False
    assert negate(NO, "not x").because == ("not x",)


def test_not_known_true_reads_unknown_as_not_true_but_reports_it():
    assert not_known_true(unknown("a")) == Tri(True, frozenset({"a"}))
    assert not_known_true(YES).value is False
    assert not_known_true(NO) == Tri(True)


def test_not_known_true_reports_what_could_still_make_a_false_part_true():
    assert not_known_true(Tri(False, frozenset({"b"}))) == Tri(True, frozenset({"b"}))


def test_at_least_edges():
    assert at_least(4, 4, "h").value is True
    assert at_least(3.9, 4, "h").value is False
    assert at_least(None, 4, "h").missing == {"h"}
