"""The single version number shared by the package, the export's schema_version and the site."""

__version__ = "0.1.0"

#: Version of the catalog.json / catalog.csv shape. Bumped on any change of the shape.
SCHEMA_VERSION = "2.0"
