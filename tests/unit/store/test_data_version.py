"""The cache key of every figure: it moves with anything that changes a figure."""

from __future__ import annotations

import ui
from clv.compliance import gdpr
from clv.ingest.pipeline import import_file
from clv.metrics.acquisition import save_channel_aliases
from tests.unit.ingest.test_import import stripe_payments_csv


def test_data_version_moves_with_every_change_of_the_figures(tmp_store):
    seen = [ui.data_version(tmp_store)]

    def changed() -> bool:
        seen.append(ui.data_version(tmp_store))
        return seen[-1] != seen[-2]

    import_file(tmp_store, stripe_payments_csv(), "payments.csv")
    assert changed()
    save_channel_aliases(tmp_store, {"fb": "Meta Ads"})
    assert changed()
    gdpr.set_respect_consent(tmp_store, True)
    assert changed()
    report = gdpr.erase_customer(tmp_store, "carol@example.com", compact=False)
    assert report.total > 0, report
    assert changed()
    # a setting the figures do not read leaves the caches alone
    tmp_store.set_setting("clv_unrelated", 1)
    assert not changed()
