"""Protected documents: register confidential documents once, find them anywhere afterwards.

    registry.py     files ─► text (through the scan pipeline) ─► fingerprints ─► store
    fingerprint.py  text ─► normalized words ─► shingle hashes, winnowed
    index.py        every registered document's fingerprints, rebuilt from the store

Only fingerprints and metadata are kept, never a document's text.
"""
