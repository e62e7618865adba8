"""Checks on built outputs: the field's validators (:mod:`.validators`:
EPUBCheck, Ace by DAISY, PDF/UA structure) and text parity with the source
(:mod:`.textparity`). ``pressroom check`` runs them.
"""
