"""``python -m emergence_atlas``: the same command line as ``emergence-atlas``."""

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
