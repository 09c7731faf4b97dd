"""One home each for the tokens a translation must keep: placeholder tags
(:mod:`pipeline.tokens.tags`), numbers read by value (:mod:`pipeline.tokens.numbers`) and the
identifiers and normalisation they share (:mod:`pipeline.tokens.text`). Import the modules
themselves; this package imports nothing, so each stays as light as its own imports."""
