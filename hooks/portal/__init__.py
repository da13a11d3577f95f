"""The partner portal's core: load -> validate -> model -> pages and exports. No MkDocs imports here."""
