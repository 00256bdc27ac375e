"""What the shop can change and what it is worth: retention and ad-budget scenarios
(:mod:`.scenarios`)."""
