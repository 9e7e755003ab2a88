"""Allow ``python -m dtimeline``."""

from dtimeline.cli import main

if __name__ == "__main__":
    main()
