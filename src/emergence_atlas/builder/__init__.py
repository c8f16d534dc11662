"""The site builder: catalog -> pages (Markdown, SVG plots, downloads) -> MkDocs Material.

``pages.generate_pages`` is the one pure function of the catalog; ``plugin`` is
the thin MkDocs plugin that serves its output as virtual files; the CLI's
``pages`` command writes the same files to disk.
"""

from .pages import generate_pages

__all__ = ["generate_pages"]
