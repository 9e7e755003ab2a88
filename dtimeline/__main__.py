"""Allow ``python -m dtimeline``."""

from dtimeline.entry import main

if __name__ == "__main__":
    main()
