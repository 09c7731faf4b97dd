"""One home each for the tokens a translation must keep: placeholder tags
(:mod:`pipeline.tokens.tags`) and numbers read by value. Import the modules themselves; this
package imports nothing, so each stays as light as its own imports."""
