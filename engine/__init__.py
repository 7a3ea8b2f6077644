"""Gas network model, steady-state solver, simulator, state estimation and leak localization (no Qt)."""
