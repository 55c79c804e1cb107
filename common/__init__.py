"""Small web helpers every app may use. Imports none of the Hub's apps."""
