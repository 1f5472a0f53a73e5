"""driftline: fast, trustworthy monitoring of machine-learning models.

Profiles summarise data in bounded memory (counts, moments, quantile and relative-error
sketches, exact histograms on baseline bin edges, category counts), merge across threads,
processes and time windows, and serialize to checksummed, versioned bytes.
"""

from driftline import metrics, stats
from driftline._compare import CompareConfig, DriftReport, Finding, baseline, compare
from driftline._core import (
    FORMAT_VERSION,
    KLL,
    ColumnProfile,
    CorruptDataError,
    DDSketch,
    DriftlineError,
    Histogram,
    IncompatibleError,
    InsufficientDataError,
    Performance,
    Profile,
    SchemaError,
    UnsupportedFormatError,
    UnsupportedTypeError,
)
from driftline._model import ModelSpec
from driftline._monitor import Monitor
from driftline._profile import Profiler, profile
from driftline._schema import Schema
from driftline._window import Sample, Window

__version__ = "0.1.0"

__all__ = [
    "FORMAT_VERSION",
    "KLL",
    "ColumnProfile",
    "CompareConfig",
    "CorruptDataError",
    "DDSketch",
    "DriftReport",
    "DriftlineError",
    "Finding",
    "Histogram",
    "IncompatibleError",
    "InsufficientDataError",
    "ModelSpec",
    "Monitor",
    "Performance",
    "Profile",
    "Profiler",
    "Sample",
    "Schema",
    "SchemaError",
    "UnsupportedFormatError",
    "UnsupportedTypeError",
    "Window",
    "__version__",
    "baseline",
    "compare",
    "metrics",
    "profile",
    "stats",
]
