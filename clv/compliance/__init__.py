"""Personal data: pseudonyms (:mod:`.privacy`), erasure, purge and consent (:mod:`.gdpr`),
and the record of processing (:mod:`.registre`)."""
