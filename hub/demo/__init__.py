"""Demo content for `make run`: original, written by the Hub team, marked as demo."""
