"""Readers turn the text of a source file into segments; they are pure (no file access)."""
