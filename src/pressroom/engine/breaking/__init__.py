"""Paragraph-wide line breaking for justified text: measure a paragraph with
the engine's shaping (:mod:`.paragraph`), choose its breaks together
(:mod:`.knuth_plass`), and have the engine set them (:mod:`.planner`, through
the ``paragraph_breaks`` engine patch)."""
