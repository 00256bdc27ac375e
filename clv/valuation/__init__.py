"""What each customer is worth: the per-customer summary (:mod:`.summary`), the purchase
and spend models (:mod:`.models`), the basic formula (:mod:`.historical`), value tiers
(:mod:`.tiers`), and the valuation that ties them together and keeps its per-customer
values in the store (:mod:`.engine`)."""
