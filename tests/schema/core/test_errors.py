"""The one mutation shape: a refused service call rolls back and answers with coded payload errors."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from content.errors import DomainError, ErrorCode
from schema.core.errors import Error, refusable


@dataclass
class Answer:
    value: str | None
    errors: list[Error] = field(default_factory=list)


class Session:
    def __init__(self) -> None:
        self.rollbacks = 0

    def rollback(self) -> None:
        self.rollbacks += 1


@refusable(lambda errs: Answer(value=None, errors=errs))
def mutate(self: Any, info: Any, input: str) -> Answer:
    if input == "bad":
        raise DomainError(ErrorCode.INVALID_INPUT, "not that", field="input")
    return Answer(value=input.upper())


def _info() -> Any:
    return SimpleNamespace(context=SimpleNamespace(session=Session()))


def test_a_domain_error_rolls_back_and_becomes_the_payload_errors() -> None:
    info = _info()
    answer = mutate(None, info=info, input="bad")
    assert answer.value is None and info.context.session.rollbacks == 1
    assert [(e.field, e.code, e.message) for e in answer.errors] == [("input", ErrorCode.INVALID_INPUT, "not that")]
    positional = _info()
    assert mutate(None, positional, "bad").errors[0].code == ErrorCode.INVALID_INPUT
    assert positional.context.session.rollbacks == 1


def test_a_success_passes_through_without_a_rollback() -> None:
    info = _info()
    assert mutate(None, info=info, input="ok") == Answer(value="OK") and info.context.session.rollbacks == 0


def test_the_resolver_keeps_its_signature_for_strawberry() -> None:
    assert list(inspect.signature(mutate).parameters) == ["self", "info", "input"]
