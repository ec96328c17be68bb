"""Text: UI strings in Swedish and English (locale/*.toml), number formatting, plain-language
sentences from the trend engine's codes, labels for the catalogue's words, and table files
(CSV for Swedish Excel, XLSX, Parquet). The last step before a page: it may read the
statistics layer's codes; it never imports ingest, views or the UI.
"""
