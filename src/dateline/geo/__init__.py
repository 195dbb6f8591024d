"""Places: an offline gazetteer built from packaged GeoNames data, and resolution in context.

names.py      name keys (accent-, case-, hyphen- and transliteration-blind)
build.py      compiles the gazetteer index (SQLite) from the installed data packages
gazetteer.py  reads the index: candidates for a name
toponyms.py   reduces a mention ("l'île Russky", "la ville de X") to the names to look up
resolve.py    the pipeline stage: one place per place entity, chosen in context
"""
