"""Customer-value metrics package: ingest, store and metrics.

Pure Python: this package never imports streamlit, so every figure can be
computed and tested without the UI (the CLI ``python -m clv`` uses it too).
"""

__version__ = "0.1.0"
