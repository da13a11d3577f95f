"""Portal Kemitraan: partner files in, a public partner portal out (core, render, staff, adapters)."""

__version__ = "0.3.0"
