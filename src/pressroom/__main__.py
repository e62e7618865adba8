"""``python -m pressroom``."""

from .cli import run

run()
