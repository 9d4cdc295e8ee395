"""Human review of a report: the decision store, the items reviewers see, and the fixture export.

The store, items and export are plain Python; the Textual dashboard (``dashboard/``) is
only a face on them and is imported by the ``align review`` command alone.
"""
