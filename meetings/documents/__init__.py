"""What is rendered, sealed, exported or checked, from data: the protocol's PDF and
its public version, the JSON format, the calendar, extracts, verification
(docs/architecture.md).
"""
