"""Clinical specification tests: one file per recommendation, written from ../shared/spec/prompts.md."""
