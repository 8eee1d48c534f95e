"""core.errors.check_number: the one check of numeric input, with the message key and values a visitor sees."""
import pytest

from core.errors import StudioError, check_number
from demos.common.i18n import message


def test_check_number_returns_ints_and_floats_inside_the_range():
    assert check_number("stride", 2.0, 1, 8, integer=True) == 2 and isinstance(check_number("k", "3", 1, 8, integer=True), int)
    assert check_number("eta", "0.25", 0.0, 1.0) == 0.25
    assert check_number("seed", 2**31 - 1, 0, 2**31 - 1, integer=True) == 2**31 - 1


@pytest.mark.parametrize("value,key", [
    ("abc", "common.not_a_number"), (None, "common.not_a_number"), (float("nan"), "common.not_a_number"),
    ("inf", "common.not_a_number"), ("1e999", "common.not_a_number"), (1.5, "common.not_an_integer"),
    (0, "common.out_of_range"), (9, "common.out_of_range"), (-1e9, "common.out_of_range")])
def test_check_number_refuses_with_the_right_key(value, key):
    with pytest.raises(StudioError) as err:
        check_number("stride", value, 1, 8, integer=True)
    assert err.value.key == key and err.value.params["field"] == "stride"


def test_messages_name_the_field_and_the_bounds_in_both_languages():
    with pytest.raises(StudioError) as err:
        check_number("seed", 2**31, 0, 2**31 - 1, integer=True)
    assert message(err.value, "en") == "seed must be between 0 and 2147483647; got 2147483648."
    assert message(err.value, "ko") == "seed은(는) 0부터 2147483647 사이여야 합니다. 입력값: 2147483648"
    with pytest.raises(StudioError) as err:
        check_number("steps", 2.5, 1, 10, integer=True)
    assert message(err.value, "en") == "steps must be a whole number; got 2.5."
    with pytest.raises(StudioError) as err:
        check_number("lr", "x" * 100, 0, 1)
    assert message(err.value, "en") == f"lr: {'x' * 40!r} is not a number."
