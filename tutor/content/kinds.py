"""The four kinds of item, in the order they are listed everywhere.

A module of its own so that the command line's parser can name them without loading the models
(their dataclasses cost `tutor due` ~20 ms at start-up).
"""

KINDS = ("card", "problem", "drill", "derivation")
