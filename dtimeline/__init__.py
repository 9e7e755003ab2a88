"""dtimeline: a sourced, precision-aware timeline of relations between countries."""

__version__ = "0.1.0"
