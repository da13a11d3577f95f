"""Rendering: a PublicSite and a locale in, generated pages, exports and assets out. Pure, engine-free."""
