"""Numbers written as words ("six sessions", "twice a day")."""

from __future__ import annotations

NUMBER_WORDS: dict[str, int | None] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60, "ninety": 90,
    "once": 1, "twice": 2, "thrice": 3, "a few": 3, "several": None,
}  # fmt: skip

# A count in a record: digits or a number word (regex text, no groups).
NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty-four|twenty|thirty)"


def to_int(s: str) -> int | None:
    """'12' -> 12, 'six' -> 6, 'several' -> None (a count the text does not give)."""
    s = s.lower().strip()
    if s.isdigit():
        return int(s)
    return NUMBER_WORDS.get(s)
