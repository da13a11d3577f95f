"""The core: load, validate, the catalog and the public projection. No rendering, no MkDocs."""
