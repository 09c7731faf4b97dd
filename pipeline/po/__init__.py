"""Gettext catalogs: the in-memory model, reading, writing (as ``msgcat`` does) and merging.

The modules follow the stages of a catalog's life, in the spirit of Babel's ``messages/``:

- ``catalog``: ``Catalog`` and ``Entry``, a pure model that never opens a file;
- ``read``: PO text or file -> ``Catalog``, with ``path:line`` errors;
- ``write``: ``Catalog`` -> the exact text ``msgcat`` writes (``generate_po``, pure) and an
  atomic, write-if-changed ``write_po_file``;
- ``wrap`` and ``linebreak``: gettext's line wrapping and the libunistring line-breaking port
  it needs; ``escapes``: the string escapes shared by reader and writer;
- ``merge``: a template merged into a catalog without losing any translation.

Import from the module that owns a name (``from pipeline.po.read import read_po_file``); this
package face is kept free of imports so that loading the model stays cheap.
"""
