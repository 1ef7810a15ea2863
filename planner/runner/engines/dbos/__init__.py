"""The ``dbos`` engine: DBOS durable workflows and queues (see workflows.py for the mapping).

Importing this package imports nothing heavy; DBOS is imported by
``runtime.Runtime.start`` and by ``workflows`` only.
"""
