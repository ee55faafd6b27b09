"""Pure scheduling core: plan files, requirement rules, the planner, compliance, exports."""
