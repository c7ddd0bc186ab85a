"""The password policy: a minimum length (a setting, 12 by default) and the common-password list."""

from __future__ import annotations

import pytest

from content.errors import DomainError, ErrorCode
from content.security.password_policy import PasswordPolicy, common_passwords


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", ErrorCode.PASSWORD_TOO_SHORT),
        ("elevenchars", ErrorCode.PASSWORD_TOO_SHORT),
        ("1qaz2wsx3edc", ErrorCode.PASSWORD_TOO_COMMON),
        ("Q1W2E3R4T5Y6", ErrorCode.PASSWORD_TOO_COMMON),  # the list is compared without case
        ("dr.nina.smith", ErrorCode.PASSWORD_TOO_COMMON),  # the username itself
        ("x" * 1025, ErrorCode.INVALID_INPUT),
    ],
)
def test_refused_with_a_code_naming_the_field(password: str, code: ErrorCode) -> None:
    with pytest.raises(DomainError) as err:
        PasswordPolicy().check(password, username="dr.nina.smith", field="newPassword")
    assert (err.value.code, err.value.field) == (code, "newPassword")


def test_a_long_uncommon_password_passes_and_the_length_is_a_setting() -> None:
    PasswordPolicy().check("correct horse battery", username="nina")
    PasswordPolicy(min_length=6).check("zebra42", username="nina")
    with pytest.raises(DomainError):
        PasswordPolicy(min_length=30).check("correct horse battery")


def test_the_shipped_list_holds_the_ten_thousand_commonest() -> None:
    common = common_passwords()
    assert len(common) >= 9_900 and {"123456", "password", "qwerty"} <= common
