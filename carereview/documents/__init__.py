"""Documents a review produces: record versions per recipient, letters, and the emails that carry
them (rules.md §4 "record", §7; issue 4 items 3 and 5)."""
