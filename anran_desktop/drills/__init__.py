"""Drills: scenarios run on simulated data marked as drills, step timing and scoring; and the plan's
附录 A scenario that ``anran demo`` runs end to end."""
