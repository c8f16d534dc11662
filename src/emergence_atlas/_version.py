"""The single version number shared by the package, the export's schema_version and the site."""

__version__ = "0.1.0"

#: Version of the shape of the downloads (catalog.json, catalog.csv, curves.json, curves.csv). Bumped on any change of the shape.
SCHEMA_VERSION = "3.0"
