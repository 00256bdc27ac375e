"""Who may leave: the churn-risk model (:mod:`.model`) and the health score (:mod:`.health`)."""
