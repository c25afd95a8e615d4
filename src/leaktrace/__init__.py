"""LeakTrace: find an organization's protected material wherever it goes."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("leaktrace")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
