"""Publishing: translations spliced into the source → localized Markdown."""
