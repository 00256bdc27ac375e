"""DataFrame -> plotly Figure, one module per page (no streamlit); shared colours, units
and layout in :mod:`.common`."""
