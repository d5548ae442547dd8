"""`python -m optimizer` runs the `burden` command line."""

from optimizer.cli import script

script()
