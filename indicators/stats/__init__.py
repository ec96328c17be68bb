"""Statistics: the trend engine. Verdicts (the network's rule), recent direction (Theil–Sen +
Mann–Kendall), status bands, targets, the SEKOM network average and ranks, per series and
vectorised for every series at once. Returns canonical columns and codes (no sentences).
Imports the catalogue and the store (for its one big read); never text, ingest, views or UI.
"""
