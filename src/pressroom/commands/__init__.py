"""Commands beyond ``build`` and ``model``: one module each (house style)."""
