"""Records of the verify stage: one print check, and the checks and figures of one mesh."""

from __future__ import annotations

from dataclasses import dataclass, field

from scan2insole.records.frozen import RECORD


@dataclass(**RECORD)
class Check:
    """One print check: what was measured, against what limit, and whether it passed."""

    name: str
    passed: bool
    value: float | None
    limit: float | None
    message: str


@dataclass(**RECORD)
class VerifyReport:
    """The print checks of one mesh plus the geometric figures measured off it."""

    checks: tuple[Check, ...]
    figures: dict[str, float] = field(default_factory=dict)
    """Measured quantities (mm, deg, mm3) keyed by a name that carries its unit."""

    @property
    def printable(self) -> bool:
        return all(c.passed for c in self.checks)
