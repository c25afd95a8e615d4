"""Lineage paths: where an item came from, as members joined with ``!``.

``outbox/msg1.eml!lecture.docx!word/media/image1.png`` is the image inside the document attached
to the message. A member name that itself contains ``!`` or ``\\`` is escaped with a backslash so
that a path always splits back into the same members.
"""

from __future__ import annotations

from dataclasses import dataclass

SEPARATOR = "!"
_ESCAPE = "\\"


def _escape(part: str) -> str:
    return part.replace(_ESCAPE, _ESCAPE * 2).replace(SEPARATOR, _ESCAPE + SEPARATOR)


def _split(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    chars = iter(text)
    for char in chars:
        if char == _ESCAPE:
            current.append(next(chars, _ESCAPE))
        elif char == SEPARATOR:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


@dataclass(frozen=True, slots=True)
class Lineage:
    """The chain of containers and members that leads to one item."""

    parts: tuple[str, ...]

    @classmethod
    def root(cls, name: str) -> Lineage:
        return cls((name,))

    @classmethod
    def parse(cls, text: str) -> Lineage:
        return cls(tuple(_split(text)))

    def child(self, member: str) -> Lineage:
        return Lineage((*self.parts, member))

    @property
    def depth(self) -> int:
        """0 for a top-level file, 1 for a member of it, and so on."""
        return len(self.parts) - 1

    @property
    def top(self) -> str:
        return self.parts[0]

    @property
    def name(self) -> str:
        """The last member's base name, for messages and for guessing nothing else."""
        return self.parts[-1].rsplit("/", 1)[-1]

    def __str__(self) -> str:
        return SEPARATOR.join(_escape(part) for part in self.parts)
