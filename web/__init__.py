"""The web interface for NGO staff and lawyers: dashboard, sign-in, review, history, settings.

Pages of one domain app (cases, parties, warrants, alerts) live in that app's
views.py; what several of them share (the record registry, transitions,
timeline and chart pictures, history diffs) lives here.
"""
