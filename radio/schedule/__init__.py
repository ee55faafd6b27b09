"""The schedule shell: loads rows for the planner, stores its entries, hand edits and listings."""
