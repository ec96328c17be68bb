"""Ingest: everything that writes data into the store. The upload path (parse -> checks ->
preview -> all-or-nothing commit, revert), comments, the demo generator, the shipped reference
files, the secretariat's edits (membership, targets, breaks) and importers. The page and the
CLI share every step. Imports store, stats, text and auth; never views or the UI.
"""
