"""Self-study: a trainee's spaced-repetition cards on validated cases, their reviews and progress."""
