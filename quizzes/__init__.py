"""Quizzes before and after reading an article. Builds on articles."""
