"""Offline-first sync: protocol models, the desktop's pusher/puller and the FastAPI relay (no Qt)."""
