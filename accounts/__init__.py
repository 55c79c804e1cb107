"""Readers' accounts: the custom user model and the reader's own pages."""
