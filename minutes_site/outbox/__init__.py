"""The outbox: every e-mail is recorded before it is sent, then sent by a background
task (django-tasks), retried with back-off while the server refuses for a while, and
marked sent, failed (with the server's answer) or bounced. Nothing is lost when the
mail server or a worker fails, and nothing goes twice: a mail is claimed before it is
handed to the server, and a claim left by a dead worker is taken up again only after
its lease (README: Background work and e-mail).
"""
