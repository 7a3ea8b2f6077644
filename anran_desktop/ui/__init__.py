"""The Qt side of the desktop: application factory, main window, workers."""
