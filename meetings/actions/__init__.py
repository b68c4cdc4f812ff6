"""The verbs: what moves a protocol through its life, each in one transaction
(docs/architecture.md).
"""
