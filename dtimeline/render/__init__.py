"""Everything users see: terminal views (rich) and machine formats. Only this package and
``dtimeline.cli`` import rich."""
