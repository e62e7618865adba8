"""The source stage: a Markdown file with YAML front matter in, a validated
:class:`~pressroom.model.Document` out (:func:`.parse.load_document`), every
problem located at its line and column. Images are read (or fetched) once
here (:mod:`.media`), for every product.
"""
