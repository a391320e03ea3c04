"""The moderation workflow as pure functions of values: policy decisions, duplicates, corrections, calibration.

Nothing here does I/O or reads a clock; fitted state (a duplicate index, a calibrated policy) is an object the caller
owns and passes in. Only the value types are re-exported here, so importing the package stays cheap.
"""

from civility.moderation.types import Action, AuthorHistory, Correction, Decision, Reason, Signals

__all__ = ["Action", "AuthorHistory", "Correction", "Decision", "Reason", "Signals"]
