"""The rules beside the models: what freezes, masking, § numbers, attendance, who
may see what, dates of the anslag, and the signals the verbs send
(docs/architecture.md).
"""
