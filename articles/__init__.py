"""Articles: the core of the Hub. Imports no other app of ours."""
