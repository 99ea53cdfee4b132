"""Users, their roles on subtrees of the unit tree, and the one scoping layer."""
