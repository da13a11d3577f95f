"""Adapters: the MkDocs hook's object, and the writer of a docs folder for any engine."""
