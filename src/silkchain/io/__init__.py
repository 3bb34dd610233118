"""Reading and writing tables: one module per source, dispatched by :mod:`.registry`."""
