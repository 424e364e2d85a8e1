"""Reference data at the bottom of the import graph: countries and NUTS regions.

Every other app may import this one; it imports no other app except `core`, so no app ever
needs a function-level import to reach a country.
"""
