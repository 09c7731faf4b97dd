"""Click command groups, one module per noun (glossary, models, tm); the verbs live in cli.py.

Commands stay thin: parse options, call one library function, report. Errors are
``PipelineError`` subclasses that ``pipeline.cli`` turns into a message and an exit code.
"""
