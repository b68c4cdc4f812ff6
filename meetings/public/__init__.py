"""The public site's own machinery (a page layer): feeds, search, the page cache and its
refresh, the accessibility statement, the open-data API. docs/architecture.md.
"""
