"""What the readers of framework configs produce: steps with places in the user's files.

A config spans several files (CrewAI's two YAML files, one Markdown file per
Claude Code subagent, ADK configs that name each other), but the design checks
report a single line and column. :class:`Places` gives every file a band of
line numbers, so a position survives the checks unchanged and is read back
as (file, line) afterwards; the checks never do arithmetic on lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.linter.structure import Raw

# Files are at most MAX_PLAN_BYTES (20 MB), so fewer lines than this.
_BAND = 100_000_000


class Places:
    """Files of one config, and the line bands that stand for them."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.texts: dict[str, str] = {}

    def add(self, path: str, text: str) -> int:
        """Register a file (once) and return its index."""
        if path not in self.texts:
            self.files.append(path)
            self.texts[path] = text
        return self.files.index(path)

    def at(self, path: str, line: int, column: int) -> tuple[int, int]:
        """A position in ``path`` as the (line, column) the checks carry."""
        return self.files.index(path) * _BAND + line, column

    def where(self, line: int) -> tuple[str, int]:
        """The file and real line behind a carried line."""
        return self.files[line // _BAND], line % _BAND


@dataclass
class ForeignStep:
    """One agent or task of a framework config, as a plan step."""

    id: str
    path: str
    line: int
    column: int
    title: str | None = None
    role: str | None = None
    tier: str | None = None
    model: str | None = None
    prompt: str | None = None
    until: str | None = None
    max_rounds: int | None = None
    # (dependency id, path, line, column) as the config names them
    depends_on: list[tuple[str, str, int, int]] = field(default_factory=list)
    # key -> (path, line, column) of keys and values that findings point at
    keys: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    values: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    async_execution: bool = False


@dataclass
class Finding:
    """A problem the reader itself found, at a real place in one file."""

    code: str
    message: str
    path: str
    line: int
    column: int


@dataclass
class ForeignConfig:
    """A whole framework config: its files, its steps, what reading it found."""

    kind: str  # "crewai", "claude-agents" or "adk"
    root: str  # the path findings without a better place are reported at
    places: Places = field(default_factory=Places)
    steps: list[ForeignStep] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add_file(self, path: str, text: str) -> None:
        self.places.add(path, text)

    def problem(self, code: str, message: str, path: str, line: int = 1, column: int = 1) -> None:
        self.findings.append(Finding(code, message, path, line, column))

    def raw(self, code: str, message: str, path: str, line: int, column: int) -> Raw:
        return Raw(code, message, *self.places.at(path, line, column))
