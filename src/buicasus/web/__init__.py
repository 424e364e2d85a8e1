"""Plumbing every app's pages share: htmx fragments, list pages, safe return addresses.

One copy each, so that a fix reaches every page (the copies in each app had drifted).
"""
