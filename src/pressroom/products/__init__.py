"""The products: what each output is made of, and the registry of formats."""

from .registry import FORMATS, Format, Job, Product

__all__ = ["FORMATS", "Format", "Job", "Product"]
