"""Medical translation pipeline: sources -> gettext catalogs -> review -> published pages.

The library is usable without the CLI; ``pipeline.cli`` is a thin layer over it. Heavy
optional dependencies (argostranslate, ctranslate2) are imported only where MT runs.
"""

from pipeline.errors import PipelineError

__all__ = ["PipelineError", "__version__"]

__version__ = "0.1.0"
