"""Text that no database stores faithfully is refused at the door, naming the field.

PostgreSQL refuses a NUL character in text (and its error would carry the statement's values); a lone
UTF-16 surrogate (JSON "\\ud800") cannot be encoded as UTF-8 by either database driver; and a JSON
value nested hundreds deep exhausts the recursion of the JSON column's encoder. Each is a 422 naming
the field before anything reaches the database.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

from openimr.workflow.textcheck import MAX_DEPTH, find_problem  # noqa: F401 - MAX_DEPTH re-exported


class StorableBody(BaseModel):
    """Request bodies inherit this: the raw JSON is checked before any field is validated."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        found = find_problem(data)
        if found:
            field, problem = found
            raise PydanticCustomError("unstorable_text", "{problem}", {"field": field, "problem": problem})
        return data
