"""The tracker's version: in ``tracker --version`` and in the User-Agent of every request."""

__version__ = "0.1.0"
