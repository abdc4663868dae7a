"""Rasa checks every answer of the action server against a JSON schema; here with a
validator built once.

Rasa 3.6's ``RemoteAction._validate_action_result`` calls ``jsonschema.validate(result,
schema)`` for every action call. That function checks the schema itself against its
meta-schema and builds a new validator each time: under load it was 7 % of the Rasa
server's busy time with jsonschema 3.2 and 36 % with jsonschema 4 (docs/performance.md).
The schema never changes, so it is checked once and its validator kept; an answer that does
not match raises the same ``ValidationError``, with the same explanation appended, as Rasa's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, Text


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator for the action server's answers (the schema checked once)."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(_action: Any, result: Dict[Text, Any]) -> bool:
    """``RemoteAction._validate_action_result`` with the kept validator."""
    from jsonschema import ValidationError
    from rasa.core.actions.action import DOCS_BASE_URL

    try:
        response_validator().validate(result)
        return True
    except ValidationError as error:
        error.message += (
            ". Failed to validate Action server response from API, make sure your response "
            "from the Action endpoint is valid. For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error


def install() -> None:
    """Makes every ``RemoteAction`` validate with the kept validator."""
    from rasa.core.actions.action import RemoteAction

    RemoteAction._validate_action_result = validate_action_result
