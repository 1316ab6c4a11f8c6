"""What a person looks at: terminal tables, JSON/CSV/Markdown, the network view and the report."""
