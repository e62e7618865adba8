"""The products: what each output is made of, and the registry of formats."""

from .registry import FORMATS, Format, Job, Output

__all__ = ["FORMATS", "Format", "Job", "Output"]
