"""The KPI pages' figures, all in DuckDB SQL from the store's derived tables: the shared
filters (:mod:`.filters`), acquisition, retention, voice of the customer, loyalty, and the
Overview's headline figures (:mod:`.overview`)."""
