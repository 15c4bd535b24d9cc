"""HTML rendering that must be safe: article text with highlights, and analysts' notes."""
