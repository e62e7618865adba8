"""A long book laid out in parts, in parallel, and joined into one PDF.

The render stage cuts the book at chapters (:mod:`pressroom.render.parts`,
which also renders each part's stylesheet); here :mod:`.layout` lays the
parts out (:mod:`.part` in this process, :mod:`.worker` in others), with the
facts one part needs from the others in :mod:`.hooks`, and :mod:`.join` joins
their PDFs. The two engine changes the parts need are patches like any other
(:mod:`pressroom.engine.patches.part_folios`, ``part_targets``). :mod:`.tail`
lays out one more part after a whole book and joins it: the index.
"""
