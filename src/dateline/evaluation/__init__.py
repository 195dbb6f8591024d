"""Evaluation: `dateline eval …` scores each capability against annotated data."""
