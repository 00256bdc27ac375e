"""Every word the app shows, in French and English.

- :mod:`.messages`: messages of the ingest pipeline and the store (English text that keeps
  its template); loads no catalogue;
- :mod:`.catalog`: the app's messages by key, and the French versions of the ingest
  messages and rejected-row reasons;
- :mod:`.texts`: one module of page messages per page, merged into the catalogue.
"""
