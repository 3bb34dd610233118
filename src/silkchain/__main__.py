"""``python -m silkchain``: the same as the ``silkchain`` command."""

from silkchain.cli import main

if __name__ == "__main__":
    main()
