"""Background jobs: a queue in the database, run by ``brique jobs work``.

Requests never do slow or failing work themselves (sending e-mail...): they
:func:`~brique.jobs.queue.enqueue` a job in their own transaction, and a worker
runs it, retrying with backoff when it fails.
"""
