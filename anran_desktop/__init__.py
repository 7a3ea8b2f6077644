"""安燃云 AnRan desktop: the store, application services, main window and the ``anran`` CLI."""

__version__ = "0.1.0"
